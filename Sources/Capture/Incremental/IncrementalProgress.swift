import Shared

/// How far an incremental snapshot of a table got, as the state topic remembers it (key `{"table":"schema.table"}`,
/// status `loading`): every chunk up to and including the row keyed `after` is durable in Kafka, so a restart reads
/// on from the next key rather than from the table's start.
public struct IncrementalProgress: Sendable, Equatable {
    /// The last key loaded, as the records write it; nil before the first chunk.
    public var after: JSONObject?
    /// Rows read so far.
    public var rows: Int
    /// The `ferry snapshot --where` condition the load reads with; nil for every row.
    public var filter: String?
    /// The generation the load's records carry: a load of an older generation is not resumed.
    public var generation: Int64

    public init(after: JSONObject? = nil, rows: Int = 0, filter: String? = nil, generation: Int64) {
        self.after = after
        self.rows = rows
        self.filter = filter
        self.generation = generation
    }

    init?(value: JSONObject) {
        guard value["status"] == .string("loading") else { return nil }
        if case .object(let after)? = value["after"] { self.after = after }
        if case .number(let rows)? = value["rows"] { self.rows = Int(rows) ?? 0 } else { rows = 0 }
        if case .string(let filter)? = value["where"] { self.filter = filter }
        if case .number(let generation)? = value["generation"] { self.generation = Int64(generation) ?? 0 } else { generation = 0 }
    }

    var value: JSONValue {
        .object([
            "status": "loading", "after": after.map(JSONValue.object) ?? .null, "rows": .integer(rows),
            "where": filter.map(JSONValue.string) ?? .null, "generation": .integer(generation),
        ])
    }
}
