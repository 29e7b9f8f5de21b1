import NIOCore
import Shared

/// Reads a table's topic from the beginning and folds its records by version (docs/design.md invariants 1–3, 5):
/// the latest version of each key wins, unchanged TOAST columns keep their previous value, a truncate removes
/// every row older than it. What a correct consumer of the topics would rebuild.
struct TopicFold {
    private(set) var rows: [JSONObject: (version: RecordVersion, row: [String: JSONValue]?)] = [:]
    private(set) var truncatedAt: RecordVersion?
    private(set) var recordCount = 0
    private(set) var operations: [Operation: Int] = [:]
    /// Records that listed unchanged (unsent TOAST) columns.
    private(set) var unchangedSeen = 0
    private(set) var highestCommitLSN = LSN(rawValue: 0)
    /// Messages whose Kafka key is not their record's key (`{}` for a truncate, whose record has none).
    private(set) var messagesWithAnotherKey = 0
    /// The last message of each Kafka key in offset order (nil: a tombstone): all that compaction keeps.
    private(set) var lastByKey: [[UInt8]: ChangeRecord?] = [:]
    /// The newest generation whose snapshot-complete marker was read: rows of older generations are swept
    /// (docs/design.md, invariant 5, "Generations").
    private(set) var sweptBelow: RecordVersion?

    var table: [JSONObject: [String: JSONValue]] {
        rows.compactMapValues { entry in
            if let sweptBelow, entry.version < sweptBelow { return nil }
            return entry.row
        }
    }

    mutating func apply(_ marker: GenerationSnapshotMarker) {
        let start = RecordVersion.start(ofGeneration: marker.generation)
        sweptBelow = max(sweptBelow ?? start, start)
    }

    /// The table a consumer rebuilds from the topic once compaction has run: each key's last message, a delete or
    /// tombstone removing the row. Equal to `table` only if every key's last message is its latest version
    /// (docs/design.md invariant 3). Truncates (key `{}`) are left out, and so are the columns of records that list
    /// `unchanged` ones: use it on tables without those.
    var compactedTable: [JSONObject: [String: JSONValue]] {
        var rows: [JSONObject: [String: JSONValue]] = [:]
        for case let record? in lastByKey.values where record.op != .truncate && record.op != .delete {
            guard let key = record.key else { continue }
            rows[key] = Self.columns(of: record.after)
        }
        return rows
    }

    /// A row image's columns by name.
    private static func columns(of image: JSONObject?) -> [String: JSONValue] {
        var row = [String: JSONValue]()
        for field in image?.fields ?? [] { row[field.name] = field.value }
        return row
    }

    mutating func apply(_ record: ChangeRecord) {
        recordCount += 1
        operations[record.op, default: 0] += 1
        if !record.unchanged.isEmpty { unchangedSeen += 1 }
        highestCommitLSN = max(highestCommitLSN, record.source.commitLSN)
        let version = record.version
        if record.op == .truncate {
            guard truncatedAt.map({ version > $0 }) ?? true else { return }
            truncatedAt = version
            rows = rows.filter { $0.value.version > version }
            return
        }
        guard let key = record.key else { return }
        if let truncatedAt, version < truncatedAt { return }
        if let existing = rows[key], existing.version >= version { return }
        switch record.op {
        case .delete:
            rows[key] = (version, nil)
        default:
            var row = Self.columns(of: record.after)
            for column in record.unchanged {
                row[column] = rows[key]?.row?[column]
            }
            rows[key] = (version, row)
        }
    }

    /// Reads every record of `topics` (all partitions) until `isComplete` says so or `timeout` passes.
    static func read(
        topics: [String], brokers: String, timeout: Duration = .seconds(60),
        until isComplete: ([String: TopicFold]) -> Bool, observe: (ChangeRecord) -> Void = { _ in }
    ) async throws -> [String: TopicFold] {
        try await onDedicatedThread("topic-fold") {
            try await readOnThisThread(topics: topics, brokers: brokers, timeout: timeout, until: isComplete, observe: observe)
        }
    }

    private static func readOnThisThread(
        topics: [String], brokers: String, timeout: Duration, until isComplete: ([String: TopicFold]) -> Bool,
        observe: (ChangeRecord) -> Void
    ) async throws -> [String: TopicFold] {
        let reader = try KafkaConsumer(configuration: KafkaConfiguration(brokers: brokers), logger: TestStack.logger)
        let metadata = try await reader.topics()
        var assignment: [TopicPartitionOffset] = []
        for topic in topics {
            let partitions = metadata.first { $0.name == topic }?.partitions ?? [0]
            assignment += partitions.map { TopicPartitionOffset(topic: topic, partition: $0, offset: TopicPartitionOffset.beginning) }
        }
        try await reader.assign(assignment)
        var folds = [String: TopicFold](uniqueKeysWithValues: topics.map { ($0, TopicFold()) })
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            let messages = try await reader.poll(timeout: .milliseconds(300))
            for message in messages {
                let kafkaKey = message.key.map { Array($0.readableBytesView) } ?? []
                guard let value = message.value else {
                    // Tombstones follow deletes: the delete already counted, but compaction keeps only the tombstone.
                    folds[message.topic, default: TopicFold()].lastByKey[kafkaKey] = .some(nil)
                    continue
                }
                if GenerationSnapshotMarker.isControl(message.headers) {
                    if let marker = GenerationSnapshotMarker(value: Array(value.readableBytesView)) {
                        folds[message.topic, default: TopicFold()].apply(marker)
                    }
                    continue
                }
                let record = try ChangeRecordCodec.decodeValue(Array(value.readableBytesView))
                folds[message.topic, default: TopicFold()].apply(record)
                folds[message.topic, default: TopicFold()].lastByKey[kafkaKey] = record
                let expectedKey = record.key.map(ChangeRecordCodec.encodeKey) ?? Array("{}".utf8)
                if message.key == nil || kafkaKey != expectedKey {
                    folds[message.topic, default: TopicFold()].messagesWithAnotherKey += 1
                }
                observe(record)
            }
            if messages.isEmpty, isComplete(folds) { break }
        }
        return folds
    }
}

/// The rows of a table as capture would render them: text values through `PostgresTextValue`, keyed by key columns.
func tableRows(
    _ connection: PostgresConnection, schema: String, table: String, keyColumns: [String]
) async throws -> [JSONObject: [String: JSONValue]] {
    let types = try await connection.query(
        """
        SELECT a.attname, CASE WHEN t.typcategory = 'A' THEN e.typname ELSE t.typname END, t.typcategory = 'A'
        FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type e ON e.oid = t.typelem
        WHERE a.attrelid = format('%I.%I', $1::text, $2::text)::regclass AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
        """, [schema, table])
    let columns = types.rows.map { row in (name: row[0] ?? "", type: PostgresColumnType(name: row[1] ?? "", isArray: row[2] == "t")) }
    let result = try await connection.query("SELECT * FROM \"\(schema)\".\"\(table)\"")
    return try await onDedicatedThread("table-rows") {
        var rows: [JSONObject: [String: JSONValue]] = [:]
        for values in result.rows {
            var row: [String: JSONValue] = [:]
            for (column, text) in zip(columns, values) {
                row[column.name] = try PostgresTextValue.decode(text, as: column.type)
            }
            let key = JSONObject(fields: keyColumns.map { JSONObject.Field(name: $0, value: row[$0] ?? .null) })
            rows[key] = row
        }
        return rows
    }
}

/// A short account of how two table images differ (nil when equal): counts and the first few differing rows
/// and columns, so a failure message stays readable.
func difference(expected: [JSONObject: [String: JSONValue]], actual: [JSONObject: [String: JSONValue]]) -> String? {
    guard expected != actual else { return nil }
    let missing = expected.keys.filter { actual[$0] == nil }
    let extra = actual.keys.filter { expected[$0] == nil }
    var lines = ["expected \(expected.count) rows, got \(actual.count); missing \(missing.count), extra \(extra.count)"]
    lines += missing.prefix(3).map { "missing \($0.fields.map { "\($0.name)=\($0.value)" })" }
    lines += extra.prefix(3).map { "extra \($0.fields.map { "\($0.name)=\($0.value)" })" }
    var shown = 0
    for (key, row) in expected where shown < 3 {
        guard let other = actual[key], other != row else { continue }
        shown += 1
        let columns = Set(row.keys).union(other.keys).filter { row[$0] != other[$0] }.sorted()
        lines.append("row \(key.fields.map { "\($0.value)" }): " + columns.map { "\($0): \(row[$0].map { "\($0)" } ?? "absent") ≠ \(other[$0].map { "\($0)" } ?? "absent")" }.joined(separator: "; "))
    }
    return lines.joined(separator: "\n")
}
