import Apply
import Foundation
import Logging
import Shared
import Testing

/// `ferry validate --input-format debezium` over a DynamoDB table that `ferry apply --input-format debezium` wrote
/// from a Debezium-shaped topic (Tests/Fixtures/Debezium) of the rows PostgreSQL holds: equal to the source, and a
/// changed item is a difference — its version read as Debezium's `(last commit LSN, LSN)`, below the snapshot,
/// not a change newer than it. `ValidateTests` covers items of Ferry's own records.
@Suite("Validate Debezium-applied tables")
struct ValidateDebeziumTests {
    @Test func aTableAppliedFromDebeziumRecordsEqualsTheSourceAndAChangedItemDiffers() async throws {
        let client = DynamoDBClient(configuration: try .fromEnvironment(), logger: TestStack.logger)
        let target = TestStack.uniqueName("DbzValidate")
        defer {
            Task {
                _ = try? await client.deleteTable(target)
                try? await client.shutdown()
            }
        }
        try await TestStack.withDatabase("vdbz") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query(ApplyDebeziumTests.source)
            // The fixture's LSNs must lie below the snapshot's for its items to count as older than it.
            let lsnText = try await db.query("SELECT pg_current_wal_lsn()::text").rows.first?[0] ?? nil
            let current = try #require(lsnText.flatMap(LSN.init))
            try #require(current.rawValue > 23_001_000, "the test cluster's WAL (\(current)) is behind the fixture's LSNs")

            // `attz` differs by design (Debezium sends a timetz converted to UTC): left out on both sides.
            let mappings = """
                {"rules": [
                  {"rule-type": "selection", "rule-id": "1", "rule-name": "1", "rule-action": "include",
                   "object-locator": {"schema-name": "public", "table-name": "conformance"}},
                  {"rule-type": "object-mapping", "rule-id": "2", "rule-name": "2", "rule-action": "map-record-to-record",
                   "object-locator": {"schema-name": "public", "table-name": "conformance"},
                   "target-table-name": "\(target)", "mapping-parameters": {"partition-key-name": "id"}},
                  {"rule-type": "transformation", "rule-id": "3", "rule-name": "3", "rule-target": "column",
                   "rule-action": "remove-column",
                   "object-locator": {"schema-name": "public", "table-name": "conformance", "column-name": "attz"}}
                ]}
                """
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(target)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let mappingsPath = directory.appendingPathComponent("mappings.json").path
            try Data(mappings.utf8).write(to: URL(fileURLWithPath: mappingsPath))

            let prefix = TestStack.uniqueName("vdbz")
            let topic = DebeziumTopicLayout(prefix: prefix).tableTopic(schema: "public", table: "conformance")
            try await KafkaAdmin(configuration: try TestStack.kafkaConfiguration())
                .createTopics([KafkaNewTopic(name: topic, partitions: 1)])
            let messages = try ApplyDebeziumTests.fixture("conformance-precise-adaptive", topic: topic)
            try await ApplyDebeziumTests.produce(messages)
            let group = TestStack.uniqueName("g")
            var options = ApplyOptions(
                kafka: try TestStack.consumerConfiguration(group: group), prefix: prefix,
                mappings: try TableMappings.parse(Array(mappings.utf8)))
            options.targetTablePrep = .createIfMissing
            options.inputFormat = .debezium
            let apply = ApplyService(options: options, logger: TestStack.logger)
            let applying = Task { try await apply.run() }
            defer { applying.cancel() }
            #expect(try await ApplyDebeziumTests.waitForCommit(group: group, topic: topic, count: Int64(messages.count)))
            applying.cancel()

            let arguments = ["validate", "--source", url, "--table-mappings", mappingsPath, "--format", "json"]
            let clean = try await FerryRun.run(arguments + ["--input-format", "debezium"], in: directory)
            #expect(clean.status == 0, "\(clean.output)\(clean.errors)")
            #expect(
                clean.output.contains(
                    #""source_rows":1,"target_items":1,"compared":1,"missing":0,"extra":0,"differing":0,"tolerated":0"#),
                "\(clean.output)")

            // Row 1's item changed behind apply's back, its version kept: that of the update at LSN 23000800,
            // the connector's last commit then 23000700.
            var item = try #require(try await ApplyTestTopic.scan(target, client: client).first)
            #expect(item["_ferry_version"] == .n("23000700000000000023000801"))
            item["note"] = .s("tampered")
            try await client.putItem(PutItemInput(tableName: target, item: item))
            // The format from the environment, as for apply.
            let changed = try await FerryRun.run(arguments, in: directory, environment: ["FERRY_INPUT_FORMAT": "debezium"])
            #expect(changed.status == 1, "\(changed.output)\(changed.errors)")
            #expect(
                changed.output.contains(
                    #""differences":[{"kind":"differing","key":{"id":{"N":"1"}},"tolerated":false,"#
                        + #""target_version":"23000700000000000023000801","target_commit_lsn":"0/15EF6E0","#
                        + #""attributes":[{"name":"note","source":{"S":"changed"},"target":{"S":"tampered"}}],"reason":null}]"#),
                "\(changed.output)")
        }
    }
}
