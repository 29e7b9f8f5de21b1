import Apply
import Capture
import Foundation
import Logging
import Shared
import Testing

/// `ferry capture --record-format debezium` (docs/design.md, "Debezium records"): one source history — exported
/// snapshot, inserts, updates, a delete, a primary-key change with an unchanged TOAST column, an update leaving it
/// unsent, a truncate, an incremental snapshot with changes beside it, every conformance type — captured once in
/// Ferry's format and once in Debezium's, applied by `ferry apply` and `ferry apply --input-format debezium`: the
/// DynamoDB tables are item for item the same.
@Suite("Capture in Debezium's format")
struct CaptureDebeziumFormatTests {
    static let source = [
        DebeziumConformanceTable.create,
        "ALTER TABLE public.conformance ALTER COLUMN note SET STORAGE EXTERNAL;",
        DebeziumConformanceTable.insertRows(firstAttz: "08:15:30.25+00"),
        """
        CREATE TABLE public.loaded (id int PRIMARY KEY, v text);
        INSERT INTO public.loaded SELECT g, 'v' || g FROM generate_series(1, 6) g;
        CREATE TABLE public.cleared (id int PRIMARY KEY, v text);
        INSERT INTO public.cleared VALUES (1, 'a'), (2, 'b');
        """,
    ].joined(separator: "\n")

    /// Streamed after both captures exported their snapshots.
    static let changes = #"""
        INSERT INTO public.conformance (id, customer_id, amount, price, created, attz, tags, note)
          VALUES (3, 9, 1.5, 2.25, '2024-02-03 04:05:06.789', '23:00:00+00', ARRAY['x'], repeat('toast-', 1000));
        UPDATE public.conformance SET small = 5 WHERE id = 3;
        UPDATE public.conformance SET id = 4 WHERE id = 3;
        UPDATE public.conformance SET amount = 2.5, meta = '{"k": [1, 2]}', short_time = '11:00:00' WHERE id = 1;
        DELETE FROM public.conformance WHERE id = 2;
        TRUNCATE public.cleared;
        INSERT INTO public.cleared VALUES (3, 'after the truncate');
        """#

    static let tables = ["conformance", "loaded", "cleared"]

    @Test func bothFormatsGiveTheSameItems() async throws {
        let client = DynamoDBClient(configuration: try .fromEnvironment(), logger: TestStack.logger)
        let targets: [CaptureOptions.RecordFormat: [String: String]] = Dictionary(
            uniqueKeysWithValues: CaptureOptions.RecordFormat.allCases.map { format in
                (format, Dictionary(uniqueKeysWithValues: Self.tables.map { ($0, TestStack.uniqueName("Fmt\($0)")) }))
            })
        defer {
            Task {
                for table in targets.values.flatMap(\.values) { _ = try? await client.deleteTable(table) }
                try? await client.shutdown()
            }
        }
        try await TestStack.withDatabase("dbzfmt") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query(Self.source)
            var captures: [CaptureOptions.RecordFormat: (options: CaptureOptions, service: CaptureService, task: Task<Void, any Error>)] = [:]
            for format in CaptureOptions.RecordFormat.allCases {
                var options = CaptureOptions(
                    sourceURL: url, kafka: try TestStack.kafkaConfiguration(), prefix: TestStack.uniqueName("fmt\(format)"),
                    selection: try TableSelection.parse(tables: Self.tables.map { "public.\($0)" }.joined(separator: ",")))
                options.heartbeatInterval = .milliseconds(500)
                options.recordFormat = format
                let service = CaptureService(options: options, logger: TestStack.logger)
                captures[format] = (options, service, Task { try await service.run() })
                try await service.waitForSnapshotExport()
            }
            defer { for capture in captures.values { capture.task.cancel() } }

            try await db.query(Self.changes)
            // Both captures re-read `loaded` in chunks while it changes.
            for capture in captures.values {
                _ = try await SnapshotSignal.send(
                    SnapshotSignal(topicPrefix: capture.options.prefix, tableList: "public.loaded", filter: nil),
                    source: SourceConnector(connectionString: url))
            }
            try await db.query("UPDATE public.loaded SET v = 'changed' WHERE id = 2; DELETE FROM public.loaded WHERE id = 3")
            try await db.query("INSERT INTO public.cleared VALUES (99, 'last')")

            var applies: [Task<Void, any Error>] = []
            defer { for apply in applies { apply.cancel() } }
            for (format, capture) in captures {
                applies.append(try Self.startApply(prefix: capture.options.prefix, targets: targets[format] ?? [:], format: format))
            }

            // The source's rows, as both pipelines must end.
            let loadedRows = try await db.query("SELECT id, v FROM public.loaded ORDER BY id").rows
            let expectedLoaded = loadedRows.map { row in "\(row[0] ?? "")=\(row[1] ?? "")" }
            func loaded(_ items: [DynamoDBItem]) -> [String] {
                items.map { item in
                    guard case .s(let v)? = item["v"] else { return "" }
                    return "\(ApplyTestTopic.id(of: item))=\(v)"
                }
            }
            let deadline = ContinuousClock.now.advanced(by: .seconds(120))
            var items: [CaptureOptions.RecordFormat: [String: [DynamoDBItem]]] = [:]
            func converged() -> Bool {
                guard let ferry = items[.ferry], let debezium = items[.debezium] else { return false }
                return ferry["conformance"].map { $0.map(ApplyTestTopic.id(of:)) } == [1, 4]
                    && ferry["cleared"].map { $0.map(ApplyTestTopic.id(of:)) } == [3, 99]
                    && ferry["loaded"].map(loaded) == expectedLoaded
                    && Self.tables.allSatisfy { Self.comparable(ferry[$0] ?? []) == Self.comparable(debezium[$0] ?? []) }
            }
            while ContinuousClock.now < deadline {
                for (format, tables) in targets {
                    for (table, target) in tables {
                        items[format, default: [:]][table] = (try? await ApplyTestTopic.scan(target, client: client)) ?? []
                    }
                }
                if converged() { break }
                try await Task.sleep(for: .milliseconds(500))
            }
            for table in Self.tables {
                #expect(Self.comparable(items[.debezium]?[table] ?? []) == Self.comparable(items[.ferry]?[table] ?? []), "\(table)")
            }
            #expect(items[.ferry]?["conformance"]?.map(ApplyTestTopic.id(of:)) == [1, 4])
            #expect(items[.ferry]?["cleared"]?.map(ApplyTestTopic.id(of:)) == [3, 99])
            #expect(items[.ferry]?["loaded"].map(loaded) == expectedLoaded)
            // The key change's create carries the TOAST column read back, and the unsent one kept its value.
            let moved = items[.debezium]?["conformance"]?.first { ApplyTestTopic.id(of: $0) == 4 }
            #expect(moved?["note"] == .s(String(repeating: "toast-", count: 1000)))
            #expect(moved?["small"] == .n("5"))

            // The Debezium topic itself: Connect documents, the key change's headers, tombstones without Ferry's.
            let topic = try #require(captures[.debezium]).options.topic(for: QualifiedTableName(schema: "public", name: "conformance"))
            let messages = try await Self.read(topic: topic, count: 12)
            let headers = messages.flatMap(\.headers).map(\.name)
            #expect(headers.sorted() == [DebeziumEnvelope.newKeyHeader, DebeziumEnvelope.oldKeyHeader].sorted())
            for message in messages {
                guard case .object(let key) = try JSONParser.parse(message.key) else {
                    Issue.record("a key that is not an object")
                    continue
                }
                #expect(key.fields.map(\.name) == ["schema", "payload"])
                if let value = message.value, case .object(let document) = try JSONParser.parse(value) {
                    #expect(document.fields.map(\.name) == ["schema", "payload"])
                }
            }

            // The prefix keeps its format: restarted in Ferry's, capture stops naming both.
            for capture in captures.values {
                capture.task.cancel()
                _ = try? await capture.task.value
            }
            var restarted = try #require(captures[.debezium]).options
            restarted.recordFormat = .ferry
            let error = await #expect(throws: (any Error).self) {
                try await CaptureService(options: restarted, logger: TestStack.logger).run()
            }
            #expect("\(error.map { "\($0)" } ?? "")".contains("--record-format debezium"))
        }
    }

    /// The live items without the version attribute: the two formats' versions are laid out differently
    /// (docs/design.md, "The item version", "Debezium records").
    static func comparable(_ items: [DynamoDBItem]) -> [DynamoDBItem] {
        items.map { item in item.filter { $0.key != "_ferry_version" } }
    }

    static func startApply(
        prefix: String, targets: [String: String], format: CaptureOptions.RecordFormat
    ) throws -> Task<Void, any Error> {
        let rules = targets.sorted { $0.key < $1.key }.enumerated().map { index, entry in
            #"""
            {"rule-type": "selection", "rule-id": "s\#(index)", "rule-name": "s\#(index)", "rule-action": "include",
             "object-locator": {"schema-name": "public", "table-name": "\#(entry.key)"}},
            {"rule-type": "object-mapping", "rule-id": "m\#(index)", "rule-name": "m\#(index)", "rule-action": "map-record-to-record",
             "object-locator": {"schema-name": "public", "table-name": "\#(entry.key)"},
             "target-table-name": "\#(entry.value)", "mapping-parameters": {"partition-key-name": "id"}}
            """#
        }
        let mappings = try TableMappings.parse(Array(#"{"rules": [\#(rules.joined(separator: ","))]}"#.utf8))
        var options = ApplyOptions(
            kafka: try TestStack.consumerConfiguration(group: TestStack.uniqueName("g")), prefix: prefix, mappings: mappings)
        options.targetTablePrep = .createIfMissing
        options.inputFormat = format == .debezium ? .debezium : .ferry
        options.truncateMode = .delete
        var logger = Logger(label: "ferry.apply.test")
        logger.logLevel = .warning
        let service = ApplyService(options: options, logger: logger)
        return Task { try await service.run() }
    }

    struct Message {
        var key: [UInt8]
        var value: [UInt8]?
        var headers: [KafkaHeader]
    }

    /// The first `count` messages of the (one-partition) topic, or as many as arrive within 30 s.
    static func read(topic: String, count: Int) async throws -> [Message] {
        try await onDedicatedThread("debezium-topic") {
            let reader = try KafkaConsumer(configuration: try TestStack.kafkaConfiguration(), logger: TestStack.logger)
            try await reader.assign([TopicPartitionOffset(topic: topic, partition: 0, offset: TopicPartitionOffset.beginning)])
            var messages: [Message] = []
            let deadline = ContinuousClock.now.advanced(by: .seconds(30))
            while messages.count < count, ContinuousClock.now < deadline {
                for message in try await reader.poll(timeout: .milliseconds(300)) {
                    messages.append(
                        Message(
                            key: message.key.map { Array($0.readableBytesView) } ?? [],
                            value: message.value.map { Array($0.readableBytesView) }, headers: message.headers))
                }
            }
            return messages
        }
    }
}
