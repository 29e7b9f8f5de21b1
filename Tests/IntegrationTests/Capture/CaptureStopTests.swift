import Capture
import Foundation
import Shared
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Causes a retry cannot heal stop `ferry capture` with one message naming the object and the fix, and nothing past
/// the failing record is acknowledged.
@Suite("ferry capture stops on what a retry cannot heal, against the local stack")
struct CaptureStopTests {
    /// A row larger than the producer's `message.max.bytes` (lowered here to 10000 bytes; the same happens to a
    /// 3 MB text row at the default 1 MB): during the snapshot no completion marker is written and no table is
    /// reported loaded; while streaming the slot stays before the row's transaction.
    @Test func aRecordTooLargeStopsNamingTableKeyAndSettings() async throws {
        try await TestStack.withDatabase("toolarge") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query(
                """
                CREATE TABLE docs (id int PRIMARY KEY, body text);
                INSERT INTO docs VALUES (1, 'small'), (2, (SELECT string_agg(md5(g::text), '') FROM generate_series(1, 400) g));
                """)
            let prefix = TestStack.uniqueName("toolarge")
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(prefix)
            let arguments = [
                "capture", "--source", url, "--brokers", try TestStack.brokers, "--prefix", prefix,
                "--tables", "public.docs", "-X", "message.max.bytes=10000",
            ]

            // In the snapshot: row 2 (12800 bytes of text) cannot be produced.
            let snapshot = try await runToExit(arguments, in: directory)
            #expect(snapshot.status != 0)
            #expect(snapshot.errors.contains(#"a record of table public.docs (topic \#(prefix).public.docs) with key {"id":2}"#))
            #expect(snapshot.errors.contains("-X message.max.bytes=N; now 10000"))
            #expect(snapshot.errors.contains("--add-config max.message.bytes=N"))
            #expect(snapshot.errors.components(separatedBy: "capture stopped:").count == 2, "one stop message")
            let completed = try await SnapshotStateStore(prefix: prefix).read(
                configuration: try TestStack.kafkaConfiguration(), logger: TestStack.logger
            ).completed
            #expect(completed.isEmpty, "no table marked complete: \(completed)")

            // While streaming: the snapshot now passes, then a new row too large arrives.
            try await db.query("UPDATE docs SET body = 'small again' WHERE id = 2")
            let endpoint = OperationsEndpoint()
            let (capture, errorPath) = try FerryRun.start(arguments + endpoint.arguments, in: directory)
            let httpPort = try await endpoint.port(of: capture)
            try await waitUntilStreaming(slot: "ferry_\(prefix)", port: httpPort)
            let failing = try await committedTransaction(
                "INSERT INTO docs VALUES (3, (SELECT string_agg(md5(g::text), '') FROM generate_series(1, 400) g))", on: db)
            let status = try await capture.wait(within: .seconds(60))
            let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            #expect(status == 1)
            #expect(errors.contains(#"a record of table public.docs (topic \#(prefix).public.docs) with key {"id":3}"#))
            // Exact: the slot still holds the failing transaction (peeking consumes nothing).
            let pending = try await db.query(
                """
                SELECT count(*) FROM pg_logical_slot_peek_binary_changes($1::name, NULL, NULL, 'proto_version', '1',
                  'publication_names', $1::text) WHERE xid = $2::xid
                """, ["ferry_\(prefix)", failing.xid])
            #expect(pending.rows.first?[0] != "0", "the slot was acknowledged past the transaction that failed")
        }
    }

    /// PostgreSQL ends the stream with `publication "…" does not exist` once the publication is dropped under a
    /// running capture; capture stops naming it and the fix, the slot still before the change it could not decode.
    @Test func aPublicationDroppedUnderARunningCaptureStopsIt() async throws {
        try await TestStack.withDatabase("droppub") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query("CREATE TABLE items (id int PRIMARY KEY, name text); INSERT INTO items VALUES (1, 'a');")
            let prefix = TestStack.uniqueName("droppub")
            let (capture, errorPath, _) = try await startStreamingItemsCapture(url: url, prefix: prefix)
            try await db.query("DROP PUBLICATION \"ferry_\(prefix)\"")
            let failing = try await committedTransaction("INSERT INTO items VALUES (2, 'b')", on: db)
            let status = try await capture.wait(within: .seconds(60))
            let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            #expect(status == 1)
            #expect(errors.contains(#"publication "ferry_\#(prefix)" does not exist"#))
            #expect(errors.contains(#"Recreate it (CREATE PUBLICATION "ferry_\#(prefix)" FOR TABLE"#))
            let confirmed = try await db.query(
                "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = $1", ["ferry_\(prefix)"]
            ).rows.first?[0].flatMap { LSN($0) }
            // Below the transaction's commit: acknowledging it would put the slot at or past its end. (While the
            // transaction was open, other databases' WAL could move an idle slot past where it began: that is right.)
            #expect(try #require(confirmed) < failing.commitEnd, "the slot moved past the transaction that failed")
        }
    }
}

/// Runs `statement` in a transaction; returns its xid and a WAL position at or after the end of its commit record
/// (taken right after COMMIT; other sessions' WAL may come between).
func committedTransaction(_ statement: String, on db: PostgresConnection) async throws -> (xid: String, commitEnd: LSN) {
    try await db.query("BEGIN")
    try await db.query(statement)
    let xid = try await db.query("SELECT pg_current_xact_id()::xid::text").rows.first?[0].flatMap { $0 }
    try await db.query("COMMIT")
    let end = try await db.query("SELECT pg_current_wal_insert_lsn()::text").rows.first?[0].flatMap { LSN($0) }
    return (try #require(xid), try #require(end))
}

/// Runs `ferry` until it exits (at most a minute: a capture retrying for ever fails the test instead of hanging it).
func runToExit(_ arguments: [String], in directory: URL) async throws -> FerryRun {
    let (child, errorPath) = try FerryRun.start(arguments, in: directory)
    let status = try await child.wait(within: .seconds(60))
    return FerryRun(
        status: status, output: child.output, errors: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")
}

/// Starts `ferry capture` of `public.items` from `url` into `prefix` (with `arguments` added), and returns once it
/// streams: the child, its error log and its operations port.
func startStreamingItemsCapture(
    url: String, prefix: String, arguments: [String] = []
) async throws -> (capture: ChildProcess, errorPath: String, port: Int) {
    let endpoint = OperationsEndpoint()
    let (capture, errorPath) = try FerryRun.start(
        [
            "capture", "--source", url, "--brokers", try TestStack.brokers, "--prefix", prefix, "--tables", "public.items",
        ] + arguments + endpoint.arguments,
        in: FileManager.default.temporaryDirectory.appendingPathComponent(prefix))
    let port = try await endpoint.port(of: capture)
    try await waitUntilStreaming(slot: "ferry_\(prefix)", port: port)
    return (capture, errorPath, port)
}

/// Waits until capture has loaded every table (`/status`); it streams next, and changes made meanwhile wait in
/// the slot.
func waitUntilStreaming(slot: String, port: Int, within patience: Duration = .seconds(60)) async throws {
    let deadline = ContinuousClock.now.advanced(by: patience)
    while ContinuousClock.now < deadline {
        if let status = try? await HTTPTestConnection.send(.GET, "/status", port: port),
            case .object(let fields)? = try? JSONParser.parse(status.body), fields["tables_queued"] == .integer(0),
            fields["tables_loading"] == .integer(0), fields["tables_loaded"] != .integer(0)
        {
            return
        }
        try await Task.sleep(for: .milliseconds(200))
    }
    throw ChildProcess.TimedOut(what: "capture loading its tables (slot \(slot))", patience: patience)
}
