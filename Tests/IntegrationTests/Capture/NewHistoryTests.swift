import Apply
import Foundation
import Shared
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Capture meets a source whose history ended — its slot dropped, or another cluster behind the same URL's place:
/// it stops with one message by default; with `--new-generation` the target ends equal to the new source, rows
/// deleted while no slot existed included, and changes whose LSNs sort below the old history's still apply.
@Suite("Capture after a lost slot or a replaced source")
struct NewHistoryTests {
    /// Both snapshot modes: an incremental load of a new generation ends with the same marker and sweep.
    @Test(arguments: ["initial", "incremental"])
    func droppedSlotStopsCaptureAndANewGenerationRemovesRowsDeletedMeanwhile(snapshot: String) async throws {
        try await TestStack.withDatabase("slotlost") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query(
                "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL); "
                    + "INSERT INTO items SELECT g, 'v0' FROM generate_series(1, 20) g;")
            // Two partitions and two apply members: the sweep must wait for both partitions' snapshot rows.
            let pipeline = try await HistoryPipeline("slotlost", partitions: 2, snapshot: snapshot)
            var capture = try pipeline.startCapture(url)
            let members = try (0..<2).map { try pipeline.startApply(member: $0) }
            try await pipeline.expectTarget(equalTo: db)
            try await db.query("UPDATE items SET name = 'v1' WHERE id = 1")
            try await pipeline.expectTarget(equalTo: db)
            capture.signal(SIGTERM)
            #expect(try await capture.wait() == 0)

            // While capture is down: deletes, inserts and an update, then the slot goes.
            try await db.query(
                "DELETE FROM items WHERE id BETWEEN 2 AND 5; INSERT INTO items VALUES (21, 'n'), (22, 'n'), (23, 'n'); "
                    + "UPDATE items SET name = 'v2' WHERE id = 6;")
            try await db.query("SELECT pg_drop_replication_slot($1)", [pipeline.slot])

            let stopped = try await pipeline.runCapture(url)
            #expect(stopped.status != 0)
            #expect(stopped.errors.contains("replication slot \(pipeline.slot) no longer exists"), "\(stopped.errors)")
            #expect(stopped.errors.contains("--new-generation"), "\(stopped.errors)")
            // Nothing created behind the operator's back: no new slot, no new snapshot.
            let slots = try await db.query("SELECT 1 FROM pg_replication_slots WHERE slot_name = $1", [pipeline.slot])
            #expect(slots.rows.isEmpty)

            capture = try pipeline.startCapture(url, ["--new-generation"])
            try await pipeline.expectTarget(equalTo: db, generation: 1)
            // The new generation streams on.
            try await db.query("UPDATE items SET name = 'v3' WHERE id = 7; DELETE FROM items WHERE id = 8;")
            try await pipeline.expectTarget(equalTo: db, generation: 1)
            // Restarted with the option still given, capture continues the generation instead of starting another.
            capture.signal(SIGTERM)
            #expect(try await capture.wait() == 0)
            capture = try pipeline.startCapture(url, ["--new-generation"])
            try await db.query("UPDATE items SET name = 'v4' WHERE id = 9")
            try await pipeline.expectTarget(equalTo: db, generation: 1)
            let validation = try await FerryRun.run(
                ["validate", "--source", url, "--table-mappings", pipeline.mappingsPath], in: pipeline.directory)
            #expect(validation.status == 0, "\(validation.output)\n\(validation.errors)")

            capture.signal(SIGTERM)
            #expect(try await capture.wait() == 0)
            for member in members { member.signal(SIGTERM) }
            for member in members { #expect(try await member.wait() == 0) }
            await pipeline.dropTarget()
        }
    }

    /// `ALTER PUBLICATION … DROP TABLE` under a running capture: PostgreSQL keeps the stream open and silently stops
    /// decoding the table, so capture watches the publication and stops; restarted, it stops again rather than
    /// adding the table back over the gap; with `--new-generation` the target ends equal to the source, the rows
    /// deleted during the gap included.
    @Test func aTableLeavingThePublicationStopsCaptureAndANewGenerationRepairsTheGap() async throws {
        try await TestStack.withDatabase("leftpub") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query(
                "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL); "
                    + "INSERT INTO items SELECT g, 'v0' FROM generate_series(1, 10) g;")
            let pipeline = try await HistoryPipeline("leftpub", partitions: 1)
            // A failure below must still release the target and the DynamoDB client (AsyncHTTPClient traps otherwise).
            do {
                var capture = try pipeline.startCapture(url)
                let member = try pipeline.startApply(member: 0)
                try await pipeline.expectTarget(equalTo: db)

                // The publication is named like the slot (ReplicationNames).
                try await db.query("ALTER PUBLICATION \"\(pipeline.slot)\" DROP TABLE items")
                try await db.query(
                    "DELETE FROM items WHERE id = 2; UPDATE items SET name = 'v1' WHERE id = 3; INSERT INTO items VALUES (11, 'n');")
                #expect(try await capture.wait(within: .seconds(60)) == 1)
                let log = (try? String(contentsOf: pipeline.directory.appendingPathComponent("capture.log"), encoding: .utf8)) ?? ""
                #expect(log.contains("table public.items left publication \(pipeline.slot)"), "\(log)")
                #expect(log.contains("--new-generation"), "\(log)")

                let stopped = try await pipeline.runCapture(url)
                #expect(stopped.status != 0)
                #expect(stopped.errors.contains("table public.items left publication \(pipeline.slot)"), "\(stopped.errors)")
                #expect(stopped.errors.components(separatedBy: "capture stopped:").count == 2, "one stop message")
                let published = try await db.query(
                    "SELECT count(*) FROM pg_publication_tables WHERE pubname = $1 AND tablename = 'items'", [pipeline.slot])
                #expect(published.rows.first?[0] == "0", "the table was added back over the gap")

                capture = try pipeline.startCapture(url, ["--new-generation"])
                try await pipeline.expectTarget(equalTo: db, generation: 1)
                try await db.query("UPDATE items SET name = 'v2' WHERE id = 4")
                try await pipeline.expectTarget(equalTo: db, generation: 1)

                capture.signal(SIGTERM)
                #expect(try await capture.wait() == 0)
                member.signal(SIGTERM)
                #expect(try await member.wait() == 0)
            } catch {
                await pipeline.dropTarget()
                throw error
            }
            await pipeline.dropTarget()
        }
    }

    @Test func anotherClusterStopsCaptureAndANewGenerationMakesTheTargetExact() async throws {
        try await TestStack.withDatabase("othercluster") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query(
                "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL); "
                    + "INSERT INTO items SELECT g, 'v0' FROM generate_series(1, 12) g;")
            let pipeline = try await HistoryPipeline("othercluster", partitions: 1)
            var capture = try pipeline.startCapture(url)
            let member = try pipeline.startApply(member: 0)
            try await pipeline.expectTarget(equalTo: db)
            try await db.query("UPDATE items SET name = 'v1' WHERE id = 1")
            try await pipeline.expectTarget(equalTo: db)
            capture.signal(SIGTERM)
            #expect(try await capture.wait() == 0)
            let oldLSN = try #require(LSN(try await db.query("SELECT pg_current_wal_lsn()").rows[0][0] ?? ""))

            // The replacement: a fresh cluster (new system identifier, LSNs from the start) with the same table,
            // some rows different.
            let cluster = try await ThrowawayCluster.start()
            do {
                let fresh = try await PostgresConnection.connect(cluster.url)
                try await fresh.query(
                    "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL); "
                        + "INSERT INTO items SELECT g, 'v0' FROM generate_series(1, 12) g WHERE g <> 4; "
                        + "UPDATE items SET name = 'changed' WHERE id = 3; INSERT INTO items VALUES (30, 'new');")
                let freshLSN = try #require(LSN(try await fresh.query("SELECT pg_current_wal_lsn()").rows[0][0] ?? ""))
                try #require(freshLSN < oldLSN, "the fresh cluster's LSNs must start below the old history's")

                let stopped = try await pipeline.runCapture(cluster.url)
                #expect(stopped.status != 0)
                #expect(stopped.errors.contains("the source is another cluster"), "\(stopped.errors)")
                #expect(stopped.errors.contains("--new-generation"), "\(stopped.errors)")

                capture = try pipeline.startCapture(cluster.url, ["--new-generation"])
                try await pipeline.expectTarget(equalTo: fresh, generation: 1)
                // An update whose LSN is below every version of the old history still applies.
                try await fresh.query("UPDATE items SET name = 'after' WHERE id = 1")
                let updateLSN = try #require(LSN(try await fresh.query("SELECT pg_current_wal_lsn()").rows[0][0] ?? ""))
                try #require(updateLSN < oldLSN)
                try await pipeline.expectTarget(equalTo: fresh, generation: 1)
                let validation = try await FerryRun.run(
                    ["validate", "--source", cluster.url, "--table-mappings", pipeline.mappingsPath], in: pipeline.directory)
                #expect(validation.status == 0, "\(validation.output)\n\(validation.errors)")

                capture.signal(SIGTERM)
                #expect(try await capture.wait() == 0)
                member.signal(SIGTERM)
                #expect(try await member.wait() == 0)
                await pipeline.dropTarget()
                await cluster.stop()
            } catch {
                await cluster.stop()
                throw error
            }
        }
    }
}

extension NewHistoryTests {
    @Test func invalidatedSlotStopsCaptureAndANewGenerationRecovers() async throws {
        // A slot may keep at most 1 MB of WAL: once inactive and behind, a checkpoint invalidates it.
        let cluster = try await ThrowawayCluster.start(settings: "-c max_slot_wal_keep_size=1MB")
        do {
            let db = try await PostgresConnection.connect(cluster.url)
            try await db.query(
                "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL); "
                    + "INSERT INTO items SELECT g, 'v0' FROM generate_series(1, 10) g;")
            let pipeline = try await HistoryPipeline("invalidated", partitions: 1)
            var capture = try pipeline.startCapture(cluster.url)
            let member = try pipeline.startApply(member: 0)
            try await pipeline.expectTarget(equalTo: db)
            capture.signal(SIGTERM)
            #expect(try await capture.wait() == 0)

            try await db.query("DELETE FROM items WHERE id IN (2, 3); UPDATE items SET name = 'v1' WHERE id = 4;")
            var walStatus: String?
            for round in 0..<20 where walStatus != "lost" {
                try await db.query(
                    "CREATE TABLE IF NOT EXISTS filler (n int); INSERT INTO filler VALUES (\(round)); "
                        + "SELECT pg_switch_wal(); CHECKPOINT;")
                walStatus = try await db.query(
                    "SELECT wal_status FROM pg_replication_slots WHERE slot_name = $1", [pipeline.slot]
                ).rows.first?.first ?? nil
            }
            try #require(walStatus == "lost", "the slot was not invalidated (wal_status \(walStatus ?? "none"))")

            let stopped = try await pipeline.runCapture(cluster.url)
            #expect(stopped.status != 0)
            #expect(stopped.errors.contains("replication slot \(pipeline.slot) was invalidated"), "\(stopped.errors)")
            #expect(stopped.errors.contains("--new-generation"), "\(stopped.errors)")

            capture = try pipeline.startCapture(cluster.url, ["--new-generation"])
            try await pipeline.expectTarget(equalTo: db, generation: 1)
            let slot = try await db.query("SELECT wal_status FROM pg_replication_slots WHERE slot_name = $1", [pipeline.slot])
            #expect(slot.rows.count == 1 && (slot.rows.first?.first ?? nil) != "lost")

            capture.signal(SIGTERM)
            #expect(try await capture.wait() == 0)
            member.signal(SIGTERM)
            #expect(try await member.wait() == 0)
            await pipeline.dropTarget()
            await cluster.stop()
        } catch {
            await cluster.stop()
            throw error
        }
    }
}

/// One test's capture and apply processes over table `public.items`, and checks of its DynamoDB table.
private struct HistoryPipeline {
    let prefix: String
    let slot: String
    let partitions: Int
    let targetTable: String
    let group: String
    let directory: URL
    let mappingsPath: String
    let client: DynamoDBClient

    /// capture's `--snapshot` mode.
    let snapshot: String

    init(_ name: String, partitions: Int, snapshot: String = "initial") async throws {
        self.snapshot = snapshot
        prefix = TestStack.uniqueName(name)
        slot = "ferry_\(prefix)"
        self.partitions = partitions
        targetTable = TestStack.uniqueName("History")
        group = TestStack.uniqueName("g")
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(prefix)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        mappingsPath = directory.appendingPathComponent("table-mappings.json").path
        let mappings = """
            {"rules": [
              {"rule-type": "selection", "rule-id": "1", "rule-name": "1", "rule-action": "include",
               "object-locator": {"schema-name": "public", "table-name": "items"}},
              {"rule-type": "object-mapping", "rule-id": "2", "rule-name": "2", "rule-action": "map-record-to-record",
               "object-locator": {"schema-name": "public", "table-name": "items"},
               "target-table-name": "\(targetTable)", "mapping-parameters": {"partition-key-name": "id"}}
            ]}
            """
        try Data(mappings.utf8).write(to: URL(fileURLWithPath: mappingsPath))
        client = DynamoDBClient(configuration: try .fromEnvironment(), logger: TestStack.logger)
    }

    func captureCommand(_ sourceURL: String, _ extra: [String]) throws -> [String] {
        [
            "capture", "--source", sourceURL, "--brokers", try TestStack.brokers, "--prefix", prefix,
            "--tables", "public.items", "--slot", slot, "--partitions", String(partitions), "--snapshot", snapshot,
        ] + extra
    }

    func startCapture(_ sourceURL: String, _ extra: [String] = []) throws -> ChildProcess {
        try ChildProcess(
            [try ferryExecutable()] + captureCommand(sourceURL, extra),
            logPath: directory.appendingPathComponent("capture.log").path)
    }

    /// Runs capture expecting it to stop by itself; killed after a minute if it does not.
    func runCapture(_ sourceURL: String) async throws -> FerryRun {
        let process = try FerryRun.start(try captureCommand(sourceURL, []), in: directory)
        let watchdog = Task {
            try await Task.sleep(for: .seconds(60))
            process.child.signal(SIGKILL)
        }
        let status = try await process.child.wait()
        watchdog.cancel()
        return FerryRun(
            status: status, output: process.child.output,
            errors: (try? String(contentsOfFile: process.errorPath, encoding: .utf8)) ?? "")
    }

    func startApply(member: Int) throws -> ChildProcess {
        try ChildProcess(
            [
                try ferryExecutable(), "apply", "--brokers", try TestStack.brokers, "--prefix", prefix, "--group", group,
                "--table-mappings", mappingsPath, "--target-table-prep", "CREATE_IF_MISSING",
                "-X", "session.timeout.ms=6000", "-X", "max.poll.interval.ms=10000", "-X", "heartbeat.interval.ms=500",
            ], logPath: directory.appendingPathComponent("apply-\(member).log").path)
    }

    /// Waits until the DynamoDB table holds exactly the source's rows (id → name) and every item's version is of
    /// `generation`; fails the test with both sides otherwise.
    func expectTarget(
        equalTo source: PostgresConnection, generation: Int64 = 0, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let rows = try await source.query("SELECT id, name FROM items")
        var expected: [Int: String] = [:]
        for row in rows.rows { expected[Int(row[0] ?? "") ?? -1] = row[1] ?? "" }
        var target: [Int: String] = [:]
        var generations: Set<Int64> = []
        let deadline = ContinuousClock.Instant.deadline(in: .seconds(120))
        while ContinuousClock.now < deadline {
            let items = (try? await ApplyTestTopic.scan(targetTable, client: client)) ?? []
            target = [:]
            generations = []
            for item in items {
                if case .s(let name)? = item["name"] { target[ApplyTestTopic.id(of: item)] = name }
                if case .n(let version)? = item["_ferry_version"], let position = ItemVersion.position(ofNumber: version) {
                    generations.insert(position.generation)
                }
            }
            if target == expected, generations.isSubset(of: [generation]) { return }
            try await Task.sleep(for: .milliseconds(300))
        }
        Issue.record(
            "target \(target.sorted { $0.key < $1.key }) (generations \(generations)) != source \(expected.sorted { $0.key < $1.key })",
            sourceLocation: sourceLocation)
    }

    func dropTarget() async {
        _ = try? await client.deleteTable(targetTable)
        try? await client.shutdown()
    }
}
