/// Why a Kafka message is not a valid change record, and where: which part of the message, the JSON path
/// inside it (`source.commit_lsn`, `unchanged[2]`) and, for syntax errors, the byte offset.
public struct ChangeRecordDecodingError: Error, Hashable, CustomStringConvertible {
    public enum Part: String, Sendable, Hashable {
        case key, value
    }

    public enum Problem: Sendable, Hashable, CustomStringConvertible {
        /// Not JSON at all; the parse error carries the byte offset.
        case syntax(JSONParseError)
        case missingField
        /// `expected` and `found` are phrases such as "a string", "an object or null".
        case wrongType(expected: String, found: String)
        case unknownOperation(String)
        case invalidLSN(String)
        case notAnInt64(String)
        /// Both key and value are null: there is no row to delete.
        case tombstoneWithoutKey
        /// A value of the right JSON type that does not hold what its type says (bad base64, a malformed time).
        case invalidValue(String)
        /// A value Ferry does not read (a Debezium type it has no rendering for); says what to do instead.
        case unsupported(String)

        public var description: String {
            switch self {
            case .syntax(let error): error.description
            case .missingField: "missing required field"
            case .wrongType(let expected, let found): "expected \(expected), found \(found)"
            case .unknownOperation(let op): "unknown op \"\(op)\""
            case .invalidLSN(let text): "invalid LSN \"\(text)\""
            case .notAnInt64(let text): "\(text) is not a 64-bit integer"
            case .tombstoneWithoutKey: "a tombstone (null value) needs a key"
            case .invalidValue(let reason): reason
            case .unsupported(let reason): reason
            }
        }
    }

    public var part: Part
    /// Dotted path of the offending field; empty for the whole document.
    public var path: String
    public var problem: Problem

    public init(part: Part, path: String, problem: Problem) {
        self.part = part
        self.path = path
        self.problem = problem
    }

    public var description: String {
        let location = path.isEmpty ? "message \(part)" : "message \(part), at \(path)"
        return "\(location): \(problem)"
    }
}
