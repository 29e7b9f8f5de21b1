import Shared

/// The SQL after the table name that selects an incremental snapshot's next chunk: the rows whose key tuple comes
/// after the last one read, in key order (a row comparison, which PostgreSQL answers from the primary-key index,
/// in the same collation as the `ORDER BY`), at most `rows` of them, and only those `filter` keeps. Pure.
struct ChunkQuery: Sendable, Equatable {
    /// The key columns in key order, with their types.
    var key: [SourceColumn]
    /// The last key read (as the records write it), nil before the first chunk.
    var after: JSONObject?
    /// A `ferry snapshot --where` condition.
    var filter: String?
    var rows: Int

    struct UnsupportedKey: Error, CustomStringConvertible, Sendable {
        var description: String
    }

    /// `WHERE ("a", "b") > (E'1', E'x') AND (filter) ORDER BY "a", "b" LIMIT rows`.
    func clause() throws(UnsupportedKey) -> String {
        var conditions: [String] = []
        if let after {
            var literals: [String] = []
            for column in key {
                guard let value = after[column.name] else {
                    throw UnsupportedKey(description: "the last key read, \(after), has no column \(column.name)")
                }
                literals.append(try Self.literal(value, type: column.type, column: column.name))
            }
            conditions.append("(\(columnList)) > (\(literals.joined(separator: ", ")))")
        }
        if let filter { conditions.append("(\(filter))") }
        let condition = conditions.isEmpty ? "" : "WHERE \(conditions.joined(separator: " AND ")) "
        return "\(condition)ORDER BY \(columnList) LIMIT \(rows)"
    }

    private var columnList: String { key.map { SQLIdentifier.quote($0.name) }.joined(separator: ", ") }

    /// A key value as the record writes it, back as an SQL literal of the column's type: untyped (`E'…'`) so
    /// PostgreSQL gives it the column's type, bytea from its base64.
    static func literal(_ value: JSONValue, type: PostgresColumnType, column: String) throws(UnsupportedKey) -> String {
        let text: String
        switch value {
        case .number(let digits): text = digits
        case .string(let string): text = string
        case .bool(let bool): text = bool ? "true" : "false"
        case .null, .array, .object:
            throw UnsupportedKey(
                description: "key column \(column) (\(type.recordTypeName)) holds \(value), which an incremental snapshot cannot resume after")
        }
        guard !type.isArray, !text.utf8.contains(0) else {
            throw UnsupportedKey(description: "key column \(column) (\(type.recordTypeName)) cannot bound an incremental snapshot chunk")
        }
        // An escape string literal: read the same whatever `standard_conforming_strings` says.
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''")
        let quoted = "E'\(escaped)'"
        return type.name == "bytea" ? "decode(\(quoted), 'base64')" : quoted
    }
}
