/// The control record capture writes into every partition of a table's topic once the table's snapshot of a new
/// generation is durable in Kafka (docs/design.md, invariant 5, "Generations"): apply deletes the table's items of
/// older generations when every partition's consumers are past it. Recognised by the `ferry.control` header, so
/// change-record readers skip it without trying to decode it.
///
/// Value: `{"control":"generation_snapshot_complete","schema":"s","table":"t","generation":2,"partition_ends":[…]}`;
/// `partition_ends[q]` is partition q's end offset once the snapshot rows were durable (every snapshot row of
/// partition q lies below it).
public struct GenerationSnapshotMarker: Sendable, Hashable {
    public static let headerName = "ferry.control"
    static let kind = "generation_snapshot_complete"

    public var schema: String
    public var table: String
    public var generation: Int64
    public var partitionEnds: [Int64]

    public init(schema: String, table: String, generation: Int64, partitionEnds: [Int64]) {
        self.schema = schema
        self.table = table
        self.generation = generation
        self.partitionEnds = partitionEnds
    }

    /// True when a message carries a control record rather than a change record.
    public static func isControl(_ headers: [KafkaHeader]) -> Bool {
        headers.contains { $0.name == headerName }
    }

    /// The message for `partition` of `topic`. Its key names no row (a row key is an object of key columns), and
    /// successive generations' markers compact to the newest, which sweeps everything older.
    public func message(topic: String, partition: Int32) -> KafkaOutgoingMessage {
        let key: JSONValue = ["ferry.control": .string(Self.kind)]
        let value: JSONValue = [
            "control": .string(Self.kind), "schema": .string(schema), "table": .string(table), "generation": .integer(generation),
            "partition_ends": .array(partitionEnds.map { .integer($0) }),
        ]
        return KafkaOutgoingMessage(
            topic: topic, partition: partition, key: key.jsonBytes, value: value.jsonBytes,
            headers: [KafkaHeader(name: Self.headerName, string: Self.kind)])
    }

    /// Reads a marker's value; nil when it is not one (a newer kind of control record this version ignores).
    public init?(value: [UInt8]) {
        guard case .object(let object)? = try? JSONParser.parse(value), object["control"] == .string(Self.kind),
            case .string(let schema)? = object["schema"], case .string(let table)? = object["table"], case .number(let generationText)? = object["generation"],
            let generation = Int64(generationText), case .array(let ends)? = object["partition_ends"]
        else { return nil }
        var partitionEnds: [Int64] = []
        for end in ends {
            guard case .number(let text) = end, let offset = Int64(text) else { return nil }
            partitionEnds.append(offset)
        }
        self.init(schema: schema, table: table, generation: generation, partitionEnds: partitionEnds)
    }
}
