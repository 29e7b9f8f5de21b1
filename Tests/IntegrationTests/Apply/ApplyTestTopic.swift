import Apply
import Foundation
import Logging
import Shared

/// One test's own topic, target table, group and mappings, and helpers to produce change records into the topic,
/// run `ApplyService` in-process and watch the DynamoDB table.
struct ApplyTestTopic {
    let prefix: String
    let sourceTable: String
    let targetTable: String
    let topic: String
    let mappings: TableMappings
    /// The table-mappings.json text `mappings` was parsed from.
    let mappingsDocument: String
    let client: DynamoDBClient

    /// - Parameters:
    ///   - mappingParameters: the object-mapping rule's `mapping-parameters`.
    ///   - transformations: transformation rules on the source table, each a function of the table's name
    ///     (rule-ids from 3).
    init(
        _ name: String, partitions: Int32 = 1, mappingParameters: String = #"{"partition-key-name": "id"}"#,
        transformations: [(_ sourceTable: String) -> String] = []
    ) async throws {
        prefix = TestStack.uniqueName("apply_\(name)")
        sourceTable = TestStack.uniqueName("t")
        targetTable = TestStack.uniqueName("ApplyTest")
        topic = "\(prefix).public.\(sourceTable)"
        let table = sourceTable
        let transformationRules = transformations.map { ", " + $0(table) }.joined()
        mappingsDocument = """
            {"rules": [
              {"rule-type": "selection", "rule-id": "1", "rule-name": "1", "rule-action": "include",
               "object-locator": {"schema-name": "public", "table-name": "\(sourceTable)"}},
              {"rule-type": "object-mapping", "rule-id": "2", "rule-name": "2", "rule-action": "map-record-to-record",
               "object-locator": {"schema-name": "public", "table-name": "\(sourceTable)"},
               "target-table-name": "\(targetTable)", "mapping-parameters": \(mappingParameters)}
              \(transformationRules)
            ]}
            """
        mappings = try TableMappings.parse(Array(mappingsDocument.utf8))
        client = DynamoDBClient(configuration: try .fromEnvironment(), logger: TestStack.logger)
        let admin = try KafkaAdmin(configuration: try TestStack.kafkaConfiguration())
        try await admin.createTopics([KafkaNewTopic(name: topic, partitions: partitions)])
    }

    /// The service's options with a fresh (or the given) group; test-speed consumer settings.
    func options(group: String = TestStack.uniqueName("g")) throws -> ApplyOptions {
        var options = ApplyOptions(
            kafka: try TestStack.consumerConfiguration(group: group), prefix: prefix, mappings: mappings)
        options.kafka["client.id"] = prefix  // names the test in librdkafka's log lines
        options.targetTablePrep = .createIfMissing
        options.concurrency = 8
        return options
    }

    /// A change of row `id` at version `(lsn, seq)`; `after` nil for deletes.
    func record(
        _ op: Shared.Operation, id: Int, after: JSONObject? = nil, lsn: UInt64, seq: Int64 = 0, unchanged: [String] = []
    ) -> ChangeRecord {
        let types = [ColumnType(column: "id", typeName: "int4"), ColumnType(column: "name", typeName: "text"),
                     ColumnType(column: "amount", typeName: "numeric"), ColumnType(column: "note", typeName: "text")]
        return ChangeRecord(
            op: op, tsMs: WallClock.nowMs(),
            source: SourceInfo(
                version: "test", name: prefix, db: "db", schema: "public", table: sourceTable, snapshot: op == .read,
                txId: Int64(lsn), lsn: LSN(rawValue: lsn), commitLSN: LSN(rawValue: lsn), seq: seq,
                tsMs: WallClock.nowMs() - 50),
            key: ["id": .integer(id)], before: op == .delete ? ["id": .integer(id)] : nil, after: after,
            types: types, unchanged: unchanged)
    }

    /// The records, to the partitions their keys hash to, or all to `partition`.
    func produce(_ records: [ChangeRecord], partition: Int32? = nil) async throws {
        try await produceRaw(records.map { record in
            (record.key.map { ChangeRecordCodec.encodeKey($0) }, ChangeRecordCodec.encodeValue(record))
        }, partition: partition)
    }

    /// Messages as given (for malformed ones); a nil value is a tombstone.
    func produceRaw(_ messages: [(key: [UInt8]?, value: [UInt8]?)], partition: Int32? = nil) async throws {
        try await produce(messages.map {
            KafkaOutgoingMessage(topic: topic, partition: partition, key: $0.key, value: $0.value)
        })
    }

    func produce(_ messages: [KafkaOutgoingMessage]) async throws {
        let producer = try KafkaProducer(configuration: try TestStack.kafkaConfiguration(), logger: TestStack.logger)
        try await producer.withRunning {
            try await producer.send(messages)
            try await producer.flush(timeout: .seconds(30))
        }
    }

    /// The tombstone capture writes after `delete`: its key, a null value and the delete as its header; without
    /// the header, as captures before it wrote them.
    func tombstone(after delete: ChangeRecord, withHeader: Bool = true) -> KafkaOutgoingMessage {
        KafkaOutgoingMessage(
            topic: topic, key: delete.key.map { ChangeRecordCodec.encodeKey($0) }, value: nil,
            headers: withHeader
                ? [KafkaHeader(name: ChangeRecordCodec.tombstoneDeleteHeader, value: ChangeRecordCodec.encodeValue(delete))]
                : [])
    }

    /// Runs apply in a task; cancel it to stop.
    func startApply(_ options: ApplyOptions) -> (service: ApplyService, task: Task<Void, any Error>) {
        var logger = Logger(label: "ferry.apply.test")
        logger.logLevel = .warning
        let service = ApplyService(options: options, logger: logger)
        return (service, Task { try await service.run() })
    }

    /// The table's items, sorted by id, once `isExpected` holds (or the last state seen at the deadline).
    func items(within timeout: Duration = .seconds(60), until isExpected: ([DynamoDBItem]) -> Bool) async throws
        -> [DynamoDBItem]
    {
        try await Self.items(of: targetTable, client: client, within: timeout, until: isExpected)
    }

    /// Any table's items, sorted by id, once `isExpected` holds (or the last state seen at the deadline).
    static func items(
        of table: String, client: DynamoDBClient, within timeout: Duration = .seconds(60),
        until isExpected: ([DynamoDBItem]) -> Bool
    ) async throws -> [DynamoDBItem] {
        let deadline = ContinuousClock.Instant.deadline(in: timeout)
        var items: [DynamoDBItem] = []
        while ContinuousClock.now < deadline {
            items = (try? await scan(table, client: client)) ?? []
            if isExpected(items) { return items }
            try await Task.sleep(for: .milliseconds(200))
        }
        return items
    }

    func scan() async throws -> [DynamoDBItem] {
        try await Self.scan(targetTable, client: client)
    }

    static func scan(_ table: String, client: DynamoDBClient) async throws -> [DynamoDBItem] {
        try await client.scanAll(ScanInput(tableName: table, consistentRead: true)).sorted { id(of: $0) < id(of: $1) }
    }

    static func id(of item: DynamoDBItem) -> Int {
        if case .n(let digits)? = item["id"] { return Int(digits) ?? 0 }
        return 0
    }

    /// Waits until `group` has committed `count` messages of the (single-partition) topic: counts records rather
    /// than trusting the broker's high watermark (tansu reports it wrong).
    func waitForCommit(group: String, count: Int64, partition: Int32 = 0, timeout: Duration = .seconds(60)) async throws -> Bool {
        let admin = try KafkaAdmin(configuration: try TestStack.kafkaConfiguration())
        let deadline = ContinuousClock.Instant.deadline(in: timeout)
        while ContinuousClock.now < deadline {
            let committed = try? await admin.committedOffsets(group: group, partitions: [TopicPartition(topic: topic, partition: partition)])
            if committed?.first?.offset == count { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    func dropTable() async {
        _ = try? await client.deleteTable(targetTable)
        try? await client.shutdown()
    }
}

/// A row of the test tables: `{id, name, amount, note}`, NULL columns left out of the object when nil.
func row(_ id: Int, name: String?, amount: String? = "1.50", note: String? = "n") -> JSONObject {
    var fields: [(String, JSONValue)] = [("id", .integer(id))]
    fields.append(("name", name.map { .string($0) } ?? .null))
    if let amount, let number = JSONValue.number(exactly: amount) { fields.append(("amount", number)) } else { fields.append(("amount", .null)) }
    fields.append(("note", note.map { .string($0) } ?? .null))
    return JSONObject(fields)
}
