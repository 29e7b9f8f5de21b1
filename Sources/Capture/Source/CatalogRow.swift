/// A catalog answer Ferry cannot read (a missing or malformed value): a bug or an unsupported server.
public struct CatalogError: Error, Sendable, CustomStringConvertible {
    public var source: String
    public var problem: String

    public var description: String { "unexpected PostgreSQL catalog content (\(source)): \(problem)" }
}

/// Typed access to one catalog row's text values.
struct CatalogRow {
    var values: [String?]
    var source: String

    func text(_ index: Int) throws(CatalogError) -> String {
        guard index < values.count, let value = values[index] else {
            throw CatalogError(source: source, problem: "column \(index) is NULL")
        }
        return value
    }

    func number<Number: FixedWidthInteger>(_ index: Int) throws(CatalogError) -> Number {
        let value = try text(index)
        guard let number = Number(value) else {
            throw CatalogError(source: source, problem: "column \(index) is not a number: \(value)")
        }
        return number
    }

    func optionalNumber<Number: FixedWidthInteger>(_ index: Int) -> Number? {
        index < values.count ? values[index].flatMap { Number($0) } : nil
    }

    func flag(_ index: Int) -> Bool {
        index < values.count && values[index] == "t"
    }
}
