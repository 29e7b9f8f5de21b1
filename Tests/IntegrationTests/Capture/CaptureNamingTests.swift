import Apply
import Capture
import Foundation
import Shared
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Names exactly as given, never folded together: the publication's case, default slots of look-alike prefixes,
/// tables whose names Kafka would refuse or that look like Ferry's own topics (`TopicLayout`, `ReplicationNames`).
@Suite("Capture naming: slots, publications and topics, against the local stack")
struct CaptureNamingTests {
    @Test func aMixedCasePublicationStreamsChanges() async throws {
        try await TestStack.withDatabase("pubcase") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query("CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'snapshot')")
            let prefix = TestStack.uniqueName("pubcase")
            let capture = try startCapture(url: url, prefix: prefix, tables: [QualifiedTableName(schema: "public", name: "t")], publication: "MyPub")
            defer { capture.cancel() }
            let topic = "\(prefix).public.t"
            _ = try await TopicFold.read(topics: [topic], brokers: try TestStack.brokers, timeout: .seconds(30)) { $0[topic]?.table.count == 1 }
            try await db.query("INSERT INTO t VALUES (2, 'streamed')")
            let folds = try await TopicFold.read(topics: [topic], brokers: try TestStack.brokers, timeout: .seconds(30)) {
                $0[topic]?.operations[.create] == 1
            }
            #expect(folds[topic]?.operations == [.read: 1, .create: 1])
            let publications = try await db.query("SELECT pubname FROM pg_publication").rows.map { $0[0] ?? "" }
            #expect(publications == ["MyPub"])
            capture.cancel()
            try? await capture.value
        }
    }

    /// `orders-v2` and `orders_v2` shared the default slot `ferry_orders_v2`: two pipelines acknowledging one slot.
    @Test func lookAlikePrefixesGetTheirOwnSlotsAndBothStream() async throws {
        try await TestStack.withDatabase("lookalike") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query("CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'snapshot')")
            let base = TestStack.uniqueName("orders")
            let prefixes = [base + "-v2", base + "_v2"]
            let captures = try prefixes.map { prefix in
                try startCapture(url: url, prefix: prefix, tables: [QualifiedTableName(schema: "public", name: "t")])
            }
            defer { for capture in captures { capture.cancel() } }
            let topics = prefixes.map { "\($0).public.t" }
            let snapshots = try await TopicFold.read(topics: topics, brokers: try TestStack.brokers, timeout: .seconds(30)) { folds in
                topics.allSatisfy { folds[$0]?.table.count == 1 }
            }
            #expect(topics.allSatisfy { snapshots[$0]?.table.count == 1 })
            try await db.query("INSERT INTO t VALUES (2, 'streamed')")
            let folds = try await TopicFold.read(topics: topics, brokers: try TestStack.brokers, timeout: .seconds(30)) { folds in
                topics.allSatisfy { folds[$0]?.operations[.create] == 1 }
            }
            for topic in topics { #expect(folds[topic]?.operations == [.read: 1, .create: 1], "\(topic)") }
            let slots = try await db.query(
                "SELECT slot_name FROM pg_replication_slots WHERE database = current_database() AND NOT temporary ORDER BY 1"
            ).rows.map { $0[0] ?? "" }
            #expect(slots == prefixes.map(ReplicationNames.defaultName(forPrefix:)).sorted())
            #expect(Set(slots).count == 2)
            for capture in captures { capture.cancel() }
            for capture in captures { try? await capture.value }
        }
    }

    /// A schema named `ferry` (its topic looked like Ferry's own, so apply skipped it) and a table Kafka refused
    /// by name, from PostgreSQL through capture and apply to DynamoDB.
    @Test func aSchemaNamedFerryAndATableWithASpaceReachDynamoDB() async throws {
        try await TestStack.withDatabase("oddnames") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query(
                """
                CREATE SCHEMA ferry;
                CREATE TABLE ferry.state (id int PRIMARY KEY, name text);
                CREATE TABLE public."Order Details" (id int PRIMARY KEY, name text);
                INSERT INTO ferry.state VALUES (1, 'snapshot');
                INSERT INTO public."Order Details" VALUES (1, 'snapshot');
                """)
            let prefix = TestStack.uniqueName("odd")
            let tables = [QualifiedTableName(schema: "ferry", name: "state"), QualifiedTableName(schema: "public", name: "Order Details")]
            let targets = [TestStack.uniqueName("FerrySchema"), TestStack.uniqueName("OrderDetails")]
            let mappings = try TableMappings.parse(Array(
                """
                {"rules": [
                  {"rule-type": "selection", "rule-id": "1", "rule-name": "1", "rule-action": "include",
                   "object-locator": {"schema-name": "%", "table-name": "%"}},
                  {"rule-type": "object-mapping", "rule-id": "2", "rule-name": "2", "rule-action": "map-record-to-record",
                   "object-locator": {"schema-name": "ferry", "table-name": "state"},
                   "target-table-name": "\(targets[0])", "mapping-parameters": {"partition-key-name": "id"}},
                  {"rule-type": "object-mapping", "rule-id": "3", "rule-name": "3", "rule-action": "map-record-to-record",
                   "object-locator": {"schema-name": "public", "table-name": "Order Details"},
                   "target-table-name": "\(targets[1])", "mapping-parameters": {"partition-key-name": "id"}}
                ]}
                """.utf8))
            let client = DynamoDBClient(configuration: try .fromEnvironment(), logger: TestStack.logger)
            defer {
                Task {
                    for target in targets { _ = try? await client.deleteTable(target) }
                    try? await client.shutdown()
                }
            }
            let capture = try startCapture(url: url, prefix: prefix, tables: tables)
            defer { capture.cancel() }
            var applyOptions = ApplyOptions(
                kafka: try TestStack.consumerConfiguration(group: TestStack.uniqueName("g")), prefix: prefix, mappings: mappings)
            applyOptions.targetTablePrep = .createIfMissing
            let apply = Task { try await ApplyService(options: applyOptions, logger: TestStack.logger).run() }
            defer { apply.cancel() }

            try await db.query(#"INSERT INTO ferry.state VALUES (2, 'streamed'); INSERT INTO public."Order Details" VALUES (2, 'streamed')"#)
            for target in targets {
                let items = try await ApplyTestTopic.items(of: target, client: client, within: .seconds(60)) { $0.count == 2 }
                #expect(items.map { $0["name"] } == [.s("snapshot"), .s("streamed")], "\(target)")
            }
            let topicNames = Set(try await KafkaAdmin(configuration: try TestStack.kafkaConfiguration()).topics().map(\.name))
            #expect(topicNames.isSuperset(of: ["\(prefix).-66erry.state", "\(prefix).public.Order-20Details", "\(prefix).ferry.state"]))
            apply.cancel()
            capture.cancel()
            try? await capture.value
        }
    }

    /// A topic name over Kafka's 249 characters: `ferry capture` refuses at start-up with one message naming the
    /// table (or the prefix) and the fix, and creates nothing.
    @Test func topicNamesTooLongForKafkaStopCaptureAtStartUp() async throws {
        try await TestStack.withDatabase("longname") { url in
            let db = try await PostgresConnection.connect(url)
            let table = String(repeating: "é", count: 25)  // 50 bytes, 150 characters as a topic segment
            try await db.query("CREATE TABLE t (id int PRIMARY KEY); CREATE TABLE \"\(table)\" (id int PRIMARY KEY)")
            let name = TestStack.uniqueName("long")
            // 100 + 1 + 6 + 1 + 150 = 258 characters.
            let output = try await refusedCapture(url: url, prefix: name + String(repeating: "x", count: 100 - name.count), tables: "public.\(table)")
            #expect(output.contains("the topic of table public.\(table) would be 258 characters long, more than Kafka's limit of 249"), "\(output)")
            #expect(output.contains("Fix: a --prefix at least 9 characters shorter"), "\(output)")
            // Ferry's own topics alone are too long: 241 + ".ferry.state".
            let long = try await refusedCapture(url: url, prefix: name + String(repeating: "x", count: 241 - name.count), tables: "public.t")
            #expect(long.contains("cannot name Kafka topics: the prefix is 241 characters long"), "\(long)")
            #expect(long.contains("Fix: choose another --prefix."))
            let slots = try await db.query("SELECT slot_name FROM pg_replication_slots WHERE database = current_database()").rows
            #expect(slots.isEmpty)
        }
    }

    /// Runs `ferry capture` and returns its output once it exits, expecting a non-zero exit within a minute.
    private func refusedCapture(url: String, prefix: String, tables: String) async throws -> String {
        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("\(TestStack.uniqueName("refused")).log").path
        let process = try ChildProcess(
            [try ferryExecutable(), "capture", "--source", url, "--brokers", try TestStack.brokers, "--prefix", prefix, "--tables", tables],
            logPath: logPath)
        let watchdog = Task {
            try await Task.sleep(for: .seconds(60))
            process.signal(SIGKILL)
        }
        let status = try await process.wait()
        watchdog.cancel()
        #expect(status != 0 && status < 128, "exit status \(status):\n\(process.output.suffix(2000))")
        return process.output
    }

    private func startCapture(url: String, prefix: String, tables: [QualifiedTableName], publication: String? = nil) throws -> Task<Void, any Error> {
        var options = CaptureOptions(
            sourceURL: url, kafka: try TestStack.kafkaConfiguration(), prefix: prefix, selection: .names(tables), publication: publication)
        options.heartbeatInterval = .milliseconds(500)
        let service = CaptureService(options: options, logger: TestStack.logger)
        return Task { try await service.run() }
    }
}
