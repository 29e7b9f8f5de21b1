/// A schema, table or column name pattern of DMS table mappings ("Wildcards in table mapping"):
/// `%` matches any run of characters, `_` any one character, `[ab]` one of a set, `[a-d]` one of a range,
/// and `[_]` a literal underscore. Matching is case-sensitive, as DMS is.
struct NamePattern: Sendable, Hashable, CustomStringConvertible {
    private enum Element: Sendable, Hashable {
        case character(Unicode.Scalar)
        case anyRun
        case anyOne
        case oneOf([ClosedRange<Unicode.Scalar>])
    }

    /// The pattern as written.
    let description: String
    /// nil when the pattern has no wildcards: then it matches by plain equality.
    private let elements: [Element]?

    /// - Parameter wildcards: false for names that must match literally (`explicit` selection rules).
    init(_ text: String, wildcards: Bool = true) throws(PatternSyntaxError) {
        description = text
        guard wildcards, text.unicodeScalars.contains(where: { "%_[".unicodeScalars.contains($0) }) else {
            elements = nil
            return
        }
        var elements: [Element] = []
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            switch scalar {
            case "%": if elements.last != .anyRun { elements.append(.anyRun) }
            case "_": elements.append(.anyOne)
            case "[": elements.append(try Self.parseSet(&scalars))
            default: elements.append(.character(scalar))
            }
        }
        self.elements = elements
    }

    /// Reads the rest of a `[…]` set, after its `[`.
    private static func parseSet(_ scalars: inout String.UnicodeScalarView.Iterator) throws(PatternSyntaxError)
        -> Element
    {
        var members: [Unicode.Scalar] = []
        while let scalar = scalars.next() {
            if scalar == "]" {
                guard !members.isEmpty else { throw PatternSyntaxError(reason: "empty '[]'") }
                return .oneOf(try ranges(of: members))
            }
            members.append(scalar)
        }
        throw PatternSyntaxError(reason: "'[' without a closing ']'")
    }

    /// `a-d` becomes a range; a `-` at either end is a literal hyphen.
    private static func ranges(of members: [Unicode.Scalar]) throws(PatternSyntaxError) -> [ClosedRange<Unicode.Scalar>]
    {
        var ranges: [ClosedRange<Unicode.Scalar>] = []
        var index = 0
        while index < members.count {
            if index + 2 < members.count, members[index + 1] == "-" {
                let (low, high) = (members[index], members[index + 2])
                guard low <= high else { throw PatternSyntaxError(reason: "range '\(low)-\(high)' runs backwards") }
                ranges.append(low...high)
                index += 3
            } else {
                ranges.append(members[index]...members[index])
                index += 1
            }
        }
        return ranges
    }

    func matches(_ name: String) -> Bool {
        guard let elements else { return name == description }
        return Self.matches(elements[...], Array(name.unicodeScalars)[...])
    }

    /// Glob matching; on `%`, backtracks to the latest run and lets it swallow one more character.
    private static func matches(_ pattern: ArraySlice<Element>, _ name: ArraySlice<Unicode.Scalar>) -> Bool {
        var p = pattern.startIndex
        var n = name.startIndex
        var retry: (pattern: Int, name: Int)?
        while n < name.endIndex {
            if p < pattern.endIndex {
                switch pattern[p] {
                case .anyRun:
                    retry = (p, n)
                    p += 1
                    continue
                case .anyOne:
                    p += 1
                    n += 1
                    continue
                case .character(let expected) where expected == name[n]:
                    p += 1
                    n += 1
                    continue
                case .oneOf(let ranges) where ranges.contains(where: { $0.contains(name[n]) }):
                    p += 1
                    n += 1
                    continue
                default:
                    break
                }
            }
            guard let (runPattern, runName) = retry else { return false }
            retry = (runPattern, runName + 1)
            p = runPattern + 1
            n = runName + 1
        }
        return pattern[p...].allSatisfy { $0 == .anyRun }
    }
}

struct PatternSyntaxError: Error, Hashable {
    var reason: String
}
