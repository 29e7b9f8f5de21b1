import Shared

/// Which entries tail prints: `--op`, `--key`, `--where` (all must hold). A filter that needs something an entry
/// does not have (an op or columns, on a tombstone or unreadable bytes) does not match it.
public struct TailFilter: Sendable, Hashable {
    public var operations: Set<Operation>?
    public var key: JSONObject?
    /// `column=value` conditions, ANDed.
    public var conditions: [ColumnCondition]

    public init(operations: Set<Operation>? = nil, key: JSONObject? = nil, conditions: [ColumnCondition] = []) {
        self.operations = operations
        self.key = key
        self.conditions = conditions
    }

    public struct ColumnCondition: Sendable, Hashable {
        public var column: String
        /// Compared with the column's text: a string's characters, any other value's JSON (`42`, `true`, `null`).
        public var value: String

        public init(column: String, value: String) {
            self.column = column
            self.value = value
        }
    }

    /// Reads `--op c,u` (codes or names: create, update, delete, read, truncate), `--key '{"id":1}'` and
    /// `--where col=value` (repeatable).
    public static func parse(operations: String?, key: String?, conditions: [String]) throws(TailError) -> TailFilter {
        var filter = TailFilter()
        if let operations { filter.operations = try parseOperations(operations) }
        if let key { filter.key = try parseKey(key) }
        for text in conditions {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw .invalidOption(flag: "--where", value: text, expected: "COLUMN=VALUE")
            }
            filter.conditions.append(
                ColumnCondition(column: String(text[..<equals]), value: String(text[text.index(after: equals)...])))
        }
        return filter
    }

    public func matches(_ entry: TailEntry) -> Bool {
        if let operations {
            guard let op = entry.record?.op, operations.contains(op) else { return false }
        }
        if let key {
            guard let entryKey = entry.key, Self.sameFields(key, entryKey) else { return false }
        }
        if !conditions.isEmpty {
            guard let record = entry.record else { return false }
            return conditions.allSatisfy { condition in
                guard let value = record.after?[condition.column] ?? record.before?[condition.column] else { return false }
                return Self.text(of: value) == condition.value
            }
        }
        return true
    }

    /// Equal as JSON objects: the same fields with the same values, in any order.
    static func sameFields(_ lhs: JSONObject, _ rhs: JSONObject) -> Bool {
        lhs.count == rhs.count && lhs.fields.allSatisfy { rhs[$0.name] == $0.value }
    }

    static func text(of value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return String(decoding: value.jsonBytes, as: UTF8.self)
    }

    private static func parseOperations(_ text: String) throws(TailError) -> Set<Operation> {
        var operations = Set<Operation>()
        for name in text.split(separator: ",").map({ $0.filter { !$0.isWhitespace }.lowercased() }) {
            guard let op = Operation(rawValue: name) ?? Operation.allCases.first(where: { $0.word == name }) else {
                throw .invalidOption(flag: "--op", value: text, expected: "a list of c, u, d, r, t (or create, update, delete, read, truncate)")
            }
            operations.insert(op)
        }
        guard !operations.isEmpty else {
            throw .invalidOption(flag: "--op", value: text, expected: "at least one of c, u, d, r, t")
        }
        return operations
    }

    private static func parseKey(_ text: String) throws(TailError) -> JSONObject {
        guard case .object(let object)? = try? JSONParser.parse(text) else {
            throw .invalidOption(flag: "--key", value: text, expected: #"a JSON object such as {"PaymentId":42}"#)
        }
        return object
    }
}
