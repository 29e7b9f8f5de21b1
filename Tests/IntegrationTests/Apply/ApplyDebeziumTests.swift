import Apply
import Capture
import Foundation
import Logging
import Shared
import Testing

/// `ferry apply --input-format debezium`: a Debezium-shaped topic (Tests/Fixtures/Debezium) gives the items Ferry's
/// own records of the same rows give; redelivery changes nothing and an older update after the delete does not
/// bring the row back (docs/design.md, "Debezium records").
@Suite("Apply Debezium topics")
struct ApplyDebeziumTests {
    /// The rows of `conformance-precise-adaptive.json` and the changes its stream records, in PostgreSQL.
    static let source = [
        DebeziumConformanceTable.create,
        DebeziumConformanceTable.insertRows(firstAttz: "10:15:30.25+02"),
        """
        UPDATE public.conformance SET note = 'changed' WHERE id = 1;
        UPDATE public.conformance SET amount = 2.5 WHERE id = 2;
        UPDATE public.conformance SET short_time = '11:00:00' WHERE id = 1;
        DELETE FROM public.conformance WHERE id = 2;
        """,
    ].joined(separator: "\n")

    @Test func aDebeziumTopicGivesTheItemsFerrysRecordsOfTheSameRowsGive() async throws {
        let client = DynamoDBClient(configuration: try .fromEnvironment(), logger: TestStack.logger)
        let (ferryTable, debeziumTable) = (TestStack.uniqueName("DbzFerry"), TestStack.uniqueName("DbzDebezium"))
        defer {
            Task {
                _ = try? await client.deleteTable(ferryTable)
                _ = try? await client.deleteTable(debeziumTable)
                try? await client.shutdown()
            }
        }
        // Ferry's records of the rows: capture's snapshot of the table as the changes left it.
        let ferryItems = try await TestStack.withDatabase("dbz") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query(Self.source)
            let prefix = TestStack.uniqueName("dbzferry")
            var captureOptions = CaptureOptions(
                sourceURL: url, kafka: try TestStack.kafkaConfiguration(), prefix: prefix,
                selection: try TableSelection.parse(tables: "public.conformance"))
            captureOptions.heartbeatInterval = .milliseconds(500)
            let capture = CaptureService(options: captureOptions, logger: TestStack.logger)
            let captureTask = Task { try await capture.run() }
            defer { captureTask.cancel() }
            let apply = try Self.startApply(prefix: prefix, target: ferryTable, format: .ferry)
            defer { apply.task.cancel() }
            let items = try await ApplyTestTopic.items(of: ferryTable, client: client) { $0.count == 1 }
            // Capture's slot must be gone before the database is dropped.
            captureTask.cancel()
            try? await captureTask.value
            return items
        }
        #expect(ferryItems.count == 1)

        // The Debezium connector's records of the same rows and changes.
        let prefix = TestStack.uniqueName("dbz")
        let topic = DebeziumTopicLayout(prefix: prefix).tableTopic(schema: "public", table: "conformance")
        // The stream, and a logical decoding message (`m`) from the documentation's examples: skipped, counted.
        let messages = try Self.fixture("conformance-precise-adaptive", topic: topic)
            + [Self.fixture("customers", topic: topic)[5]]
        let admin = try KafkaAdmin(configuration: try TestStack.kafkaConfiguration())
        try await admin.createTopics([KafkaNewTopic(name: topic, partitions: 1)])
        // A transaction-metadata record on its topic: not a table topic, never read.
        try await Self.produce(
            messages + [KafkaOutgoingMessage(
                topic: DebeziumTopicLayout(prefix: prefix).transactionTopic, key: nil,
                value: Array(#"{"status":"BEGIN","id":"571:53195829","ts_ms":1486500577125}"#.utf8))])
        let group = TestStack.uniqueName("g")
        let apply = try Self.startApply(prefix: prefix, target: debeziumTable, format: .debezium, group: group)
        #expect(try await Self.waitForCommit(group: group, topic: topic, count: Int64(messages.count)))
        #expect(apply.service.statistics.logicalMessages == 1)
        #expect(apply.service.statistics.tables.values.map(\.deadLettered).reduce(0, +) == 0)
        let expected = Self.comparable(ferryItems)
        var items = try await ApplyTestTopic.items(of: debeziumTable, client: client) { Self.comparable($0) == expected }
        #expect(Self.comparable(items) == expected)
        // The delete left a tombstone item (`--deletes tombstone`), which Debezium's tombstone after it keeps.
        #expect(items.filter(Tombstone.isTombstone).map(ApplyTestTopic.id(of:)) == [2])

        // Redelivered: the update of row 2 from before its delete, then the whole topic again.
        try await Self.produce([messages[3]])
        #expect(try await Self.waitForCommit(group: group, topic: topic, count: Int64(messages.count + 1)))
        apply.task.cancel()
        let again = TestStack.uniqueName("g")
        let replay = try Self.startApply(prefix: prefix, target: debeziumTable, format: .debezium, group: again)
        defer { replay.task.cancel() }
        #expect(try await Self.waitForCommit(group: again, topic: topic, count: Int64(messages.count + 1)))
        items = try await ApplyTestTopic.scan(debeziumTable, client: client)
        #expect(Self.comparable(items) == expected)
        #expect(items.filter(Tombstone.isTombstone).map(ApplyTestTopic.id(of:)) == [2])
    }

    /// A truncate (`t`) is apply's truncate (`--truncate delete`): the items older than it go, a row inserted after
    /// it stays.
    @Test func aTruncateDeletesTheItemsWrittenBeforeIt() async throws {
        let client = DynamoDBClient(configuration: try .fromEnvironment(), logger: TestStack.logger)
        let target = TestStack.uniqueName("DbzTruncate")
        defer {
            Task {
                _ = try? await client.deleteTable(target)
                try? await client.shutdown()
            }
        }
        let prefix = TestStack.uniqueName("dbzt")
        let topic = DebeziumTopicLayout(prefix: prefix).tableTopic(schema: "public", table: "conformance")
        try await KafkaAdmin(configuration: try TestStack.kafkaConfiguration())
            .createTopics([KafkaNewTopic(name: topic, partitions: 1)])
        let messages = try Self.fixture("conformance-truncate", topic: topic)
        try await Self.produce(messages)
        let group = TestStack.uniqueName("g")
        let apply = try Self.startApply(prefix: prefix, target: target, format: .debezium, group: group, truncate: .delete)
        defer { apply.task.cancel() }
        #expect(try await Self.waitForCommit(group: group, topic: topic, count: Int64(messages.count)))
        #expect(try await ApplyTestTopic.scan(target, client: client).map(ApplyTestTopic.id(of:)) == [1])
        #expect(apply.service.statistics.tables["public.conformance"]?.truncates == 1)
    }

    /// The live items without what differs by design: the version attribute (another source's positions) and
    /// `attz` (Debezium sends a timetz converted to UTC).
    static func comparable(_ items: [DynamoDBItem]) -> [DynamoDBItem] {
        items.filter { !Tombstone.isTombstone($0) }.map { item in
            item.filter { $0.key != "_ferry_version" && $0.key != "attz" }
        }
    }

    static func startApply(
        prefix: String, target: String, format: ApplyOptions.InputFormat, group: String = TestStack.uniqueName("g"),
        truncate: ApplyOptions.TruncateMode = .ignore
    ) throws -> (service: ApplyService, task: Task<Void, any Error>) {
        let mappings = try TableMappings.parse(Array(#"""
            {"rules": [
              {"rule-type": "selection", "rule-id": "1", "rule-name": "1", "rule-action": "include",
               "object-locator": {"schema-name": "public", "table-name": "conformance"}},
              {"rule-type": "object-mapping", "rule-id": "2", "rule-name": "2", "rule-action": "map-record-to-record",
               "object-locator": {"schema-name": "public", "table-name": "conformance"},
               "target-table-name": "\#(target)", "mapping-parameters": {"partition-key-name": "id"}}
            ]}
            """#.utf8))
        var options = ApplyOptions(kafka: try TestStack.consumerConfiguration(group: group), prefix: prefix, mappings: mappings)
        options.targetTablePrep = .createIfMissing
        options.inputFormat = format
        options.deleteMode = .tombstone(ttlDays: 7)
        options.truncateMode = truncate
        var logger = Logger(label: "ferry.apply.test")
        logger.logLevel = .warning
        let service = ApplyService(options: options, logger: logger)
        return (service, Task { try await service.run() })
    }

    /// The fixture's messages (see Tests/Fixtures/Debezium/README.md) for `topic`, key and value written compactly.
    static func fixture(_ name: String, topic: String) throws -> [KafkaOutgoingMessage] {
        let url = repositoryRoot.appendingPathComponent("Tests/Fixtures/Debezium/\(name).json")
        guard case .object(let file) = try JSONParser.parse(Array(try Data(contentsOf: url))),
            case .array(let messages)? = file["messages"]
        else { throw CocoaError(.fileReadCorruptFile) }
        return messages.map { message in
            func bytes(_ part: String) -> [UInt8]? {
                guard case .object(let fields) = message, case .object(let object)? = fields[part] else { return nil }
                return ChangeRecordCodec.encodeKey(object)
            }
            return KafkaOutgoingMessage(topic: topic, key: bytes("key"), value: bytes("value"))
        }
    }

    static func produce(_ messages: [KafkaOutgoingMessage]) async throws {
        let producer = try KafkaProducer(configuration: try TestStack.kafkaConfiguration(), logger: TestStack.logger)
        try await producer.withRunning {
            try await producer.send(messages)
            try await producer.flush(timeout: .seconds(30))
        }
    }

    /// Counts committed records rather than trusting the broker's high watermark (tansu reports it wrong).
    static func waitForCommit(group: String, topic: String, count: Int64) async throws -> Bool {
        let admin = try KafkaAdmin(configuration: try TestStack.kafkaConfiguration())
        let deadline = ContinuousClock.Instant.deadline(in: .seconds(90))
        while ContinuousClock.now < deadline {
            let committed = try? await admin.committedOffsets(group: group, partitions: [TopicPartition(topic: topic, partition: 0)])
            if committed?.first?.offset == count { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }
}
