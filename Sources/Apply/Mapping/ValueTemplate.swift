import Shared

/// An attribute-mapping `value` such as `"${ApplicationId}#${LogTimestamp}"` or `"APP#${ApplicationId}"`:
/// text with `${column}` placeholders. As in DMS, no formatting is done beyond what the template spells out:
/// each placeholder becomes its column's text form.
struct ValueTemplate: Sendable, Hashable {
    enum Part: Sendable, Hashable {
        case literal(String)
        case column(String)
    }

    let parts: [Part]

    /// A `$` not followed by `{` is literal text; `${` must be closed by `}` around a non-empty name.
    init(parsing text: String) throws(TemplateSyntaxError) {
        var parts: [Part] = []
        var literal = ""
        var rest = text[...]
        while let dollar = rest.firstIndex(of: "$") {
            let afterDollar = rest.index(after: dollar)
            guard afterDollar < rest.endIndex, rest[afterDollar] == "{" else {
                literal += rest[...dollar]
                rest = rest[afterDollar...]
                continue
            }
            let nameStart = rest.index(after: afterDollar)
            guard let close = rest[nameStart...].firstIndex(of: "}") else {
                throw TemplateSyntaxError(reason: "'${' without a closing '}' in \"\(text)\"")
            }
            let name = String(rest[nameStart..<close])
            guard !name.isEmpty else { throw TemplateSyntaxError(reason: "empty '${}' in \"\(text)\"") }
            literal += rest[..<dollar]
            if !literal.isEmpty { parts.append(.literal(literal)) }
            literal = ""
            parts.append(.column(name))
            rest = rest[rest.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
    }

    /// The template filled with column values from `lookup` (nil for a column the row lacks), or the first
    /// column it names that the row lacks or holds NULL.
    func render<Failure: Error>(_ lookup: (String) throws(Failure) -> JSONValue?) throws(Failure) -> TemplateRendering {
        if case .literal(let text) = parts.first, parts.count == 1 { return .text(text) }
        var text = ""
        for part in parts {
            switch part {
            case .literal(let literal):
                text += literal
            case .column(let name):
                guard let value = try lookup(name) else { return .missing(column: name, isNull: false) }
                guard let valueText = value.templateText else { return .missing(column: name, isNull: true) }
                text += valueText
            }
        }
        return .text(text)
    }
}

enum TemplateRendering {
    case text(String)
    /// `column` is absent from the row, or (`isNull`) holds SQL NULL.
    case missing(column: String, isNull: Bool)
}

struct TemplateSyntaxError: Error, Hashable {
    var reason: String
}

extension JSONValue {
    /// How a column value reads inside a template: strings as they are, numbers with their exact digits,
    /// `true`/`false`, and json/jsonb or arrays as compact JSON. nil for NULL.
    var templateText: String? {
        switch self {
        case .null: nil
        case .string(let text): text
        case .number(let digits): digits
        case .bool(let flag): flag ? "true" : "false"
        case .array, .object: String(decoding: jsonBytes, as: UTF8.self)
        }
    }
}
