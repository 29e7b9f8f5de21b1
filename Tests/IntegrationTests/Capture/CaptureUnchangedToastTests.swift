import Apply
import Capture
import Shared
import Testing

/// Unchanged TOAST columns, which PostgreSQL does not send, read back from the source: always on a primary-key
/// change (else the new key's item would lack them for ever), on every update with `--reselect-unchanged`
/// (docs/design.md, "Unchanged TOAST columns").
@Suite("ferry capture: unchanged TOAST columns read back, against the local stack")
struct CaptureUnchangedToastTests {
    /// 80 KB of random hex: incompressible enough that PostgreSQL stores it out of line (TOAST).
    static let randomBody = "SELECT string_agg(md5(random()::text), '') FROM generate_series(1, 2500)"

    @Test func aPrimaryKeyChangeCarriesTheBodyThroughToTheDynamoDBItem() async throws {
        let topic = try await ApplyTestTopic("toastkey")
        defer { Task { await topic.dropTable() } }
        try await TestStack.withDatabase("toastkey") { url in
            let (db, table, body) = try await Self.createTable(of: topic, url: url)
            try await db.query("INSERT INTO \(table) SELECT 3, 'three', (\(Self.randomBody))")

            let records = try await capture(topic, url: url, reselectUnchanged: false) {
                try await db.query("UPDATE \(table) SET id = 2 WHERE id = 1")
                // A later update of another column: PostgreSQL leaves the body out, and so does the record.
                try await db.query("UPDATE \(table) SET name = 'two' WHERE id = 2")
                // Gone by the time capture reads it back: the create keeps listing the body; its delete follows.
                try await db.query("BEGIN; UPDATE \(table) SET id = 4 WHERE id = 3; DELETE FROM \(table) WHERE id = 4; COMMIT")
            }
            let created = try #require(records.first { $0.op == .create && $0.key == ["id": 2] })
            let createdCarriesBody = created.after?["note"] == .string(body)  // (not the 80 KB in a failure message)
            #expect(createdCarriesBody)
            #expect(created.unchanged.isEmpty)
            let updated = try #require(records.first { $0.op == .update && $0.key == ["id": 2] })
            #expect(updated.after?["note"] == nil)
            #expect(updated.unchanged == ["note"])
            let createdGone = try #require(records.first { $0.op == .create && $0.key == ["id": 4] })
            #expect(createdGone.after?["note"] == nil)
            #expect(createdGone.unchanged == ["note"])
            #expect(records.last { $0.key == ["id": 4] }?.op == .delete)

            // End to end: apply builds the item of the new key with the body.
            let apply = topic.startApply(try topic.options())
            defer { apply.task.cancel() }
            let items = try await topic.items { $0.count == 1 && $0.first?["name"] == .s("two") }
            #expect(items.count == 1)
            #expect(items.first?["id"] == .n("2"))
            let itemHasBody = items.first?["note"] == .s(body)
            #expect(itemHasBody)
        }
    }

    @Test func withReselectUnchangedAnOrdinaryUpdateCarriesTheBody() async throws {
        let topic = try await ApplyTestTopic("toastall")
        defer { Task { await topic.dropTable() } }
        try await TestStack.withDatabase("toastall") { url in
            let (db, table, body) = try await Self.createTable(of: topic, url: url)

            let records = try await capture(topic, url: url, reselectUnchanged: true) {
                try await db.query("UPDATE \(table) SET name = 'uno' WHERE id = 1")
            }
            let updated = try #require(records.first { $0.op == .update })
            let updateCarriesBody = updated.after?["note"] == .string(body)
            #expect(updateCarriesBody)
            #expect(updated.after?["name"] == .string("uno"))
            #expect(updated.unchanged.isEmpty)
        }
    }

    /// Creates the topic's source table `(id, name, note)` with row 1 and its 80 KB body; returns a session, the
    /// table's quoted name and the body.
    private static func createTable(
        of topic: ApplyTestTopic, url: String
    ) async throws -> (PostgresConnection, String, String) {
        let db = try await PostgresConnection.connect(url)
        let table = "public.\(SQLIdentifier.quote(topic.sourceTable))"
        try await db.query("CREATE TABLE \(table) (id int PRIMARY KEY, name text, note text)")
        try await db.query("INSERT INTO \(table) SELECT 1, 'one', (\(randomBody))")
        let body = try #require(try await db.query("SELECT note FROM \(table) WHERE id = 1").rows.first?.first ?? nil)
        #expect(body.utf8.count == 80_000)
        return (db, table, body)
    }

    /// Runs capture of the topic's table (snapshot, then stream), runs `changes` once the snapshot is exported, and
    /// returns the topic's records once they rebuild the table as it then is.
    private func capture(
        _ topic: ApplyTestTopic, url: String, reselectUnchanged: Bool, changes: () async throws -> Void
    ) async throws -> [ChangeRecord] {
        var options = CaptureOptions(
            sourceURL: url, kafka: try TestStack.kafkaConfiguration(), prefix: topic.prefix,
            selection: try TableSelection.parse(tables: "public.\(topic.sourceTable)"))
        options.heartbeatInterval = .milliseconds(500)
        options.reselectUnchanged = reselectUnchanged
        let service = CaptureService(options: options, logger: TestStack.logger)
        let capture = Task { try await service.run() }
        defer { capture.cancel() }
        try await service.waitForSnapshotExport()
        try await changes()
        let db = try await PostgresConnection.connect(url)
        let expected = try await tableRows(db, schema: "public", table: topic.sourceTable, keyColumns: ["id"])
        var records: [ChangeRecord] = []
        let folds = try await TopicFold.read(
            topics: [topic.topic], brokers: try TestStack.brokers, timeout: .seconds(30),
            until: { $0[topic.topic]?.table == expected }, observe: { records.append($0) })
        #expect(folds[topic.topic]?.table == expected)
        capture.cancel()
        try await capture.value
        return records
    }
}
