import Apply
import Capture
import NIOCore
import Shared
import Testing

/// DMS selection `filters`, `load-order` and table-settings `parallel-load` ranges, end to end: capture reads the
/// rules from a table-mappings document; the topics fold to exactly the filtered tables.
@Suite("ferry capture: selection filters, load order and snapshot ranges, against the local stack")
struct CaptureFilterTests {
    /// Two tables with the same filter on non-key columns: `items` under the default replica identity (the WAL
    /// has no old row for updates), `items_full` with REPLICA IDENTITY FULL. `body` is stored out of line, so an
    /// update that leaves it alone does not send it.
    static let schema = """
        CREATE TABLE items (id int PRIMARY KEY, status text, created date, amount numeric, body text);
        ALTER TABLE items ALTER COLUMN body SET STORAGE EXTERNAL;
        CREATE TABLE items_full (LIKE items INCLUDING ALL);
        ALTER TABLE items_full REPLICA IDENTITY FULL;
        CREATE TABLE other (id int PRIMARY KEY);
        """
    /// status is 'open' or 'it''s' (a quote in the value) AND created on or after 2024-01-10.
    static let filterSQL = "status IN ('open', 'it''s') AND created >= DATE '2024-01-10'"
    static let mappings = #"""
        {"rules": [
          {"rule-type": "selection", "rule-id": "1", "rule-name": "1", "rule-action": "include",
           "object-locator": {"schema-name": "public", "table-name": "items%"},
           "filters": [
             {"filter-type": "source", "column-name": "status", "filter-conditions": [
               {"filter-operator": "eq", "value": "open"}, {"filter-operator": "eq", "value": "it's"}]},
             {"filter-type": "source", "column-name": "created", "filter-conditions": [
               {"filter-operator": "gte", "value": "2024-01-10"}]}]}]}
        """#

    /// Row `id`'s values: the status cycles open / closed / it's / NULL, the date over 20 days.
    static func insert(_ table: String, _ ids: ClosedRange<Int>) -> String {
        """
        INSERT INTO \(table) SELECT g, (ARRAY['open', 'closed', 'it''s', NULL])[g % 4 + 1],
          DATE '2024-01-01' + g % 20, g * 1.5, repeat('body ' || g, 600) FROM generate_series(\(ids.lowerBound), \(ids.upperBound)) g
        """
    }

    static func capture(
        url: String, mappings: String, prefix: String, workers: Int = 2, snapshot: CaptureOptions.SnapshotMode = .initial
    ) throws -> CaptureService {
        let rules = try TableMappings.parse(Array(mappings.utf8))
        var options = CaptureOptions(
            sourceURL: url, kafka: try TestStack.kafkaConfiguration(), prefix: prefix,
            selection: .matching { rules.isSelected(schema: $0, table: $1) })
        options.tableRules = { rules.captureRules(schema: $0.schema, table: $0.name) }
        options.snapshotWorkers = workers
        options.snapshotMode = snapshot
        options.heartbeatInterval = .milliseconds(500)
        return CaptureService(options: options, logger: TestStack.logger)
    }

    /// An incremental snapshot's chunks take only the rows the filters take, as the exported snapshot's COPY does;
    /// rows moving into the filter meanwhile come through the stream.
    @Test func anIncrementalSnapshotReadsOnlyTheFilteredRows() async throws {
        try await TestStack.withDatabase("filterinc") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query(Self.schema)
            try await db.query(Self.insert("items", 1...120))
            try await db.query("CREATE VIEW items_expected AS SELECT * FROM items WHERE \(Self.filterSQL)")
            let snapshotRows = try await db.query("SELECT count(*) FROM items_expected").rows.first?.first.flatMap { $0 }
            let prefix = TestStack.uniqueName("flti")
            let service = try Self.capture(url: url, mappings: Self.mappings, prefix: prefix, snapshot: .incremental)
            let capture = Task { try await service.run() }
            let topic = "\(prefix).public.items"
            let loaded = try await tableRows(db, schema: "public", table: "items_expected", keyColumns: ["id"])
            let snapshot = try await TopicFold.read(topics: [topic], brokers: try TestStack.brokers) {
                $0[topic]?.table == loaded
            }
            #expect(difference(expected: loaded, actual: snapshot[topic]?.table ?? [:]) == nil)
            #expect(snapshot[topic]?.operations[.read].map(String.init) == snapshotRows, "chunks read rows outside the filter")

            try await db.query("UPDATE items SET status = 'open', created = DATE '2024-02-01' WHERE id IN (3, 7)")
            let expected = try await tableRows(db, schema: "public", table: "items_expected", keyColumns: ["id"])
            let folds = try await TopicFold.read(topics: [topic], brokers: try TestStack.brokers) { $0[topic]?.table == expected }
            capture.cancel()
            try await capture.value
            #expect(difference(expected: expected, actual: folds[topic]?.table ?? [:]) == nil)
        }
    }

    @Test func theTopicsHoldExactlyTheFilteredRowsThroughSnapshotAndStream() async throws {
        try await TestStack.withDatabase("filter") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query(Self.schema)
            for table in ["items", "items_full"] {
                try await db.query(Self.insert(table, 1...120))
                try await db.query("CREATE VIEW \(table)_expected AS SELECT * FROM \(table) WHERE \(Self.filterSQL)")
            }
            let snapshotRows = try await db.query("SELECT count(*) FROM items_expected").rows.first?.first.flatMap { $0 }
            let prefix = TestStack.uniqueName("flt")
            let service = try Self.capture(url: url, mappings: Self.mappings, prefix: prefix)
            let capture = Task { try await service.run() }
            try await service.waitForSnapshotExport()

            for table in ["items", "items_full"] {
                try await db.query(
                    """
                    \(Self.insert(table, 121...160));
                    -- into the filter: status, or the date, changes (body unchanged: not sent; read back)
                    UPDATE \(table) SET status = 'open' WHERE id % 4 = 1 AND created >= DATE '2024-01-10' AND id <= 60;
                    UPDATE \(table) SET created = DATE '2024-02-01' WHERE status = 'open' AND created < DATE '2024-01-10';
                    -- out of it, and back
                    UPDATE \(table) SET status = 'closed' WHERE id % 8 = 0;
                    UPDATE \(table) SET created = DATE '2023-01-01' WHERE id % 4 = 2 AND id > 100;
                    UPDATE \(table) SET status = 'it''s' WHERE id IN (16, 32);
                    -- staying in, and staying out
                    UPDATE \(table) SET amount = amount + 1 WHERE id % 5 = 0;
                    -- deletes of matching and non-matching rows
                    DELETE FROM \(table) WHERE id % 7 = 0;
                    -- key changes, in and out of the filter
                    UPDATE \(table) SET id = id + 1000 WHERE id IN (44, 45, 48, 49);
                    UPDATE \(table) SET id = id + 1000, status = 'closed' WHERE id IN (84, 86);
                    """)
            }
            // A NULL status stays out; NULL became 'open' comes in.
            try await db.query("UPDATE items SET status = 'open' WHERE id = 3; UPDATE items_full SET status = 'open' WHERE id = 3")

            let expected = try await tableRows(db, schema: "public", table: "items_expected", keyColumns: ["id"])
            let expectedFull = try await tableRows(db, schema: "public", table: "items_full_expected", keyColumns: ["id"])
            let topics = ["\(prefix).public.items", "\(prefix).public.items_full"]
            // Rows whose status is NULL (id % 4 = 3) never match, except row 3; they change (amount, deletes).
            func neverMatched(_ id: String) -> Bool { Int(id).map { $0 % 4 == 3 && $0 != 3 } == true }
            var neverMatchedRecords: [String: Int] = [:]
            let folds = try await TopicFold.read(
                topics: topics, brokers: try TestStack.brokers,
                until: { $0[topics[0]]?.table == expected && $0[topics[1]]?.table == expectedFull },
                observe: { record in
                    if case .number(let id)? = record.key?["id"], neverMatched(id) {
                        neverMatchedRecords[record.source.table, default: 0] += 1
                    }
                })
            capture.cancel()
            try await capture.value

            let items = try #require(folds[topics[0]])
            let itemsFull = try #require(folds[topics[1]])
            #expect(expected.count > 20)
            #expect(difference(expected: expected, actual: items.table) == nil)
            #expect(difference(expected: expectedFull, actual: itemsFull.table) == nil)
            // The snapshot read only the matching rows.
            #expect(items.operations[.read].map(String.init) == snapshotRows)
            #expect(itemsFull.operations[.read].map(String.init) == snapshotRows)
            // With the old row in the WAL, rows that never matched leave no record at all; without it, their
            // updates and deletes are sent as deletes (of rows the target does not have).
            #expect(neverMatchedRecords["items_full"] == nil)
            #expect((neverMatchedRecords["items"] ?? 0) > 0)
            #expect(items.messagesWithAnotherKey == 0)
        }
    }

    /// A filter or ranges that do not fit the table stop capture at start-up, every problem named by its rule-id,
    /// before any topic, slot or publication exists.
    @Test func rulesThatDoNotFitTheTableStopCaptureAtStartUp() async throws {
        try await TestStack.withDatabase("filterbad") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query("CREATE TABLE items (id int PRIMARY KEY, status text, flag bool)")
            let mappings = #"""
                {"rules": [
                  {"rule-type": "selection", "rule-id": "7", "rule-action": "include",
                   "object-locator": {"schema-name": "public", "table-name": "items"},
                   "filters": [{"filter-type": "source", "column-name": "Status", "filter-conditions": [
                     {"filter-operator": "eq", "value": "open"}]}]},
                  {"rule-type": "table-settings", "rule-id": "8",
                   "object-locator": {"schema-name": "public", "table-name": "items"},
                   "parallel-load": {"type": "ranges", "columns": ["flag"], "boundaries": [["true"]]}}]}
                """#
            let prefix = TestStack.uniqueName("fbad")
            let service = try Self.capture(url: url, mappings: mappings, prefix: prefix)
            let error = await #expect(throws: CaptureStopped.self) { try await service.run() }
            let message = error?.description ?? ""
            #expect(
                message.contains(
                    "table public.items: table mappings, rule-id 7: filters column 'Status', which the table does not have (names are case-sensitive)"),
                "\(message)")
            #expect(message.contains("table public.items: table mappings, rule-id 8: ranges name column 'flag' of type bool"), "\(message)")
            let slots = try await db.query("SELECT count(*) FROM pg_replication_slots WHERE slot_name = $1", [ReplicationNames.defaultName(forPrefix: prefix)])
            #expect(slots.rows.first?.first == "0")
        }
    }

    /// `load-order` against Ferry's own order (largest table first), and `parallel-load` ranges over two columns,
    /// one a NULL-able non-key column; one snapshot worker, so tables and segments are read one after another.
    @Test func loadOrderAndRangesDecideHowTheSnapshotIsRead() async throws {
        try await TestStack.withDatabase("loadord") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query(
                """
                CREATE TABLE first_small (id int PRIMARY KEY);
                CREATE TABLE middle (id int PRIMARY KEY);
                CREATE TABLE last_big (id int PRIMARY KEY, grp int, name text);
                INSERT INTO first_small VALUES (1);
                INSERT INTO middle SELECT generate_series(1, 200);
                INSERT INTO last_big SELECT g, CASE WHEN g % 50 = 0 THEN NULL ELSE g % 30 END, chr(97 + g % 26) || g
                  FROM generate_series(1, 2000) g;
                """)
            let mappings = #"""
                {"rules": [
                  {"rule-type": "selection", "rule-id": "1", "rule-action": "include", "load-order": "1",
                   "object-locator": {"schema-name": "public", "table-name": "%"}},
                  {"rule-type": "selection", "rule-id": "2", "rule-action": "include", "load-order": "3",
                   "object-locator": {"schema-name": "public", "table-name": "first_small"}},
                  {"rule-type": "selection", "rule-id": "3", "rule-action": "include", "load-order": 2,
                   "object-locator": {"schema-name": "public", "table-name": "middle"}},
                  {"rule-type": "table-settings", "rule-id": "4",
                   "object-locator": {"schema-name": "public", "table-name": "last_big"},
                   "parallel-load": {"type": "ranges", "columns": ["grp", "name"], "boundaries": [["10", "m"], [20, "a"]]}}]}
                """#
            let prefix = TestStack.uniqueName("ldo")
            let service = try Self.capture(url: url, mappings: mappings, prefix: prefix, workers: 1)
            let capture = Task { try await service.run() }

            let names = ["first_small", "middle", "last_big"]
            var expected: [String: [JSONObject: [String: JSONValue]]] = [:]
            for name in names { expected[name] = try await tableRows(db, schema: "public", table: name, keyColumns: ["id"]) }
            // The segment of each last_big row in topic order, as DMS defines it: (grp, name) compared as a row
            // with the boundaries; a NULL grp falls in the last.
            var segments: [Int] = []
            let folds = try await TopicFold.read(
                topics: names.map { "\(prefix).public.\($0)" }, brokers: try TestStack.brokers,
                until: { folds in names.allSatisfy { folds["\(prefix).public.\($0)"]?.table == expected[$0] } },
                observe: { record in
                    guard record.source.table == "last_big", let after = record.after else { return }
                    guard case .number(let digits)? = after["grp"], let grp = Int(digits), case .string(let name)? = after["name"]
                    else { return segments.append(2) }
                    let below = { (bound: Int, text: String) in grp < bound || (grp == bound && Array(name.utf8).lexicographicallyPrecedes(Array(text.utf8))) }
                    segments.append(below(10, "m") ? 0 : below(20, "a") ? 1 : 2)
                })
            let completed = try await Self.completedTables(prefix: prefix, count: 3)
            capture.cancel()
            try await capture.value

            for name in names {
                #expect(difference(expected: expected[name] ?? [:], actual: folds["\(prefix).public.\(name)"]?.table ?? [:]) == nil)
            }
            // Higher load-order first, although Ferry alone would start with the largest table.
            #expect(completed == ["public.first_small", "public.middle", "public.last_big"])
            // Read segment by segment (the table's physical order cycles through all of them), NULLs included.
            #expect(segments.count == 2000)
            #expect(segments == segments.sorted())
            #expect(Set(segments) == [0, 1, 2])
        }
    }

    /// The tables the state topic marks complete, in the order capture completed them.
    static func completedTables(prefix: String, count: Int) async throws -> [String] {
        let brokers = try TestStack.brokers
        return try await onDedicatedThread("state-topic") {
            let reader = try KafkaConsumer(configuration: KafkaConfiguration(brokers: brokers), logger: TestStack.logger)
            try await reader.assign([
                TopicPartitionOffset(topic: "\(prefix).ferry.state", partition: 0, offset: TopicPartitionOffset.beginning)
            ])
            var tables: [String] = []
            let deadline = ContinuousClock.now.advanced(by: .seconds(30))
            while tables.count < count, ContinuousClock.now < deadline {
                for message in try await reader.poll(timeout: .milliseconds(300)) {
                    guard let key = message.key, let value = message.value,
                        case .object(let status)? = try? JSONParser.parse(Array(value.readableBytesView)),
                        status["status"] == .string("completed"),
                        case .object(let naming)? = try? JSONParser.parse(Array(key.readableBytesView)),
                        case .string(let table)? = naming["table"]
                    else { continue }
                    tables.append(table)
                }
            }
            return tables
        }
    }
}
