import Capture
import NIOCore
import Shared
import Testing

@Suite("PostgreSQL binding (libpq) against the local stack")
struct PostgresBindingTests {
    @Test func parameterisedQueryRoundTripsValuesAndNulls() async throws {
        let connection = try await PostgresConnection.connect(try TestStack.postgresURL)
        let result = try await connection.query(
            "SELECT $1::int8 + 1 AS next, $2::text AS label, $3::text AS missing, now()::timestamptz AS moment",
            ["41", "naïve \"quoted\" ✓", nil])
        #expect(result.columns.map(\.name) == ["next", "label", "missing", "moment"])
        #expect(result.columns[0].typeOID == 20)  // int8
        #expect(result.value("next") == "42")
        #expect(result.value("label") == "naïve \"quoted\" ✓")
        #expect(result.rows[0][2] == nil)
        // Sessions run in UTC with ISO dates, whatever the server's defaults.
        #expect(result.value("moment")?.hasSuffix("+00") == true)
    }

    @Test func serverErrorsCarrySQLStateAndStatement() async throws {
        let connection = try await PostgresConnection.connect(try TestStack.postgresURL)
        let error = await #expect(throws: PostgresError.self) {
            try await connection.query("SELECT * FROM no_such_table_here")
        }
        #expect(error?.kind == .queryFailed)
        #expect(error?.sqlState == "42P01")
        #expect(error?.message.contains("no_such_table_here") == true)
        #expect(error?.statement == "SELECT * FROM no_such_table_here")
        // The connection stays usable after a failed statement.
        #expect(try await connection.query("SELECT 1").value("?column?") == "1")
    }

    /// A session whose server went away fails its next statement without a SQLSTATE ("server closed the connection
    /// unexpectedly"): that is a closed connection, which capture and `ferry validate --every` wait out, not a
    /// statement the server refused.
    @Test func aStatementOnASessionTheServerEndedIsAClosedConnection() async throws {
        let cluster = try await ThrowawayCluster.start()
        do {
            let connection = try await PostgresConnection.connect(cluster.url)
            try await cluster.pause()
            let error = await #expect(throws: PostgresError.self) {
                try await connection.query("SELECT pg_current_wal_lsn()::text")
            }
            #expect(error?.kind == .connectionClosed, "\(String(describing: error))")
            #expect(error.map { CaptureFailure.isTransient($0) } == true)
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    @Test func wrongPasswordIsAConnectionErrorWithoutThePassword() async throws {
        let url = try TestStack.postgresURL.replacingOccurrences(of: "ferry-local-password", with: "not-the-password")
        let error = await #expect(throws: PostgresError.self) {
            _ = try await PostgresConnection.connect(url)
        }
        #expect(error?.kind == .connectionFailed)
        #expect(error?.message.contains("password authentication failed") == true)
        #expect(error?.description.contains("not-the-password") == false)
    }

    @Test func copyOutStreamsEveryRowInBoundedChunks() async throws {
        try await TestStack.withDatabase("copy") { url in
            let connection = try await PostgresConnection.connect(url)
            try await connection.query(
                """
                CREATE TABLE items (id int PRIMARY KEY, label text, note text);
                INSERT INTO items SELECT g, 'item ' || g, CASE WHEN g % 10 = 0 THEN NULL ELSE E'tab\\there' END
                FROM generate_series(1, 50000) g;
                """)
            var chunks = 0
            var largestChunk = 0
            var idSum = 0
            var firstRow = ""
            var nullNotes = 0
            let rows = try await connection.copyOut(
                "COPY (SELECT id, label, note FROM items ORDER BY id) TO STDOUT", chunkBytes: 64 * 1024
            ) { chunk in
                chunks += 1
                largestChunk = max(largestChunk, chunk.bytes.count)
                for index in 0..<chunk.rowCount {
                    let line = chunk.withRow(index) { String(decoding: $0, as: UTF8.self) }
                    if firstRow.isEmpty { firstRow = line }
                    let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                    idSum += Int(fields[0]) ?? 0
                    if fields[2] == "\\N" { nullNotes += 1 }
                }
            }
            #expect(rows == 50000)
            #expect(idSum == 50000 * 50001 / 2)
            #expect(nullNotes == 5000)
            // COPY's text format escapes the tab inside the value.
            #expect(firstRow == "1\titem 1\ttab\\there")
            #expect(chunks > 10)
            #expect(largestChunk < 64 * 1024 + 4096)
        }
    }

    @Test func copyOutReportsServerErrors() async throws {
        let connection = try await PostgresConnection.connect(try TestStack.postgresURL)
        let error = await #expect(throws: PostgresError.self) {
            try await connection.copyOut("COPY (SELECT 1 / (g - 3) FROM generate_series(1, 5) g) TO STDOUT") { _ in }
        }
        #expect(error?.sqlState == "22012")  // division_by_zero, raised mid-stream
    }

    @Test func replicationConnectionStreamsPgoutputAndAcknowledges() async throws {
        try await TestStack.withDatabase("repl") { url in
            let connection = try await PostgresConnection.connect(url)
            try await connection.query(
                "CREATE TABLE payments (id int PRIMARY KEY, amount numeric(12,2)); CREATE PUBLICATION pub FOR TABLE payments")
            let slot = TestStack.uniqueName("slot")
            let replication = try await PostgresConnection.connect(url, replication: true)
            let created = try await replication.query("CREATE_REPLICATION_SLOT \(slot) LOGICAL pgoutput")
            #expect(created.value("output_plugin") == "pgoutput")
            let consistentPoint = try #require(created.value("consistent_point").flatMap(LSN.init))

            try await connection.query("INSERT INTO payments VALUES (1, 10.50), (2, 99999999.99)")
            try await replication.startCopyBoth(
                "START_REPLICATION SLOT \(slot) LOGICAL 0/0 (proto_version '1', publication_names 'pub')")

            let first = try await readTransaction(from: replication)
            // Begin, Relation, two Inserts, Commit: one transaction as pgoutput sends it.
            #expect(first.tags == ["B", "R", "I", "I", "C"])
            #expect(first.insertedTuples.count == 2)
            #expect(first.insertedTuples.last?.contains("99999999.99") == true)
            let lastWalEnd = max(consistentPoint, first.lastWalEnd)

            // Acknowledge: the slot's confirmed flush position follows our standby status update.
            let update = StandbyStatusUpdate(
                written: lastWalEnd, flushed: lastWalEnd, applied: lastWalEnd,
                clientTime: PostgresTimestamp(microsecondsSince2000: 0))
            try await replication.writeCopyData(update.encode())
            var confirmed: LSN?
            let ackDeadline = ContinuousClock.Instant.deadline(in: .seconds(10))
            while .now < ackDeadline {
                _ = try await replication.readCopyData(timeout: .milliseconds(100))
                confirmed = try await connection.query(
                    "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = $1", [slot]
                ).value("confirmed_flush_lsn").flatMap(LSN.init)
                if let confirmed, confirmed >= lastWalEnd { break }
            }
            #expect(confirmed == lastWalEnd)
            try await replication.endCopyBoth()

            // Ending the copy released the slot: a new connection streams it on (capture catches up to a snapshot's
            // point, then streams from there) while this one is still open, from the acknowledged position — only
            // the newer transaction comes, its relation described again.
            try await connection.query("INSERT INTO payments VALUES (3, 1.00)")
            let next = try await PostgresConnection.connect(url, replication: true)
            try await next.startCopyBoth(
                "START_REPLICATION SLOT \(slot) LOGICAL \(lastWalEnd) (proto_version '1', publication_names 'pub')")
            let second = try await readTransaction(from: next)
            #expect(second.tags == ["B", "R", "I", "C"])
            #expect(second.insertedTuples.count == 1 && second.insertedTuples.first?.contains("1.00") == true)
            try await next.endCopyBoth()
            withExtendedLifetime(replication) {}
        }
    }

    /// The pgoutput message tags up to the first Commit (20 s at most), the Insert payloads, the highest WAL end seen.
    private func readTransaction(from replication: PostgresConnection) async throws
        -> (tags: [Character], insertedTuples: [String], lastWalEnd: LSN)
    {
        var tags: [Character] = []
        var insertedTuples: [String] = []
        var lastWalEnd = LSN(rawValue: 0)
        let deadline = ContinuousClock.Instant.deadline(in: .seconds(20))
        while !tags.contains("C"), .now < deadline {
            for var buffer in try await replication.readCopyData(timeout: .milliseconds(200)) {
                guard case .xLogData(let data) = try ReplicationMessage.decode(from: &buffer) else { continue }
                var payload = data.data
                let tag = Character(UnicodeScalar(payload.readInteger(as: UInt8.self) ?? 0))
                tags.append(tag)
                if tag == "I" { insertedTuples.append(String(decoding: payload.readableBytesView, as: UTF8.self)) }
                lastWalEnd = max(lastWalEnd, data.walEnd)
            }
        }
        return (tags, insertedTuples, lastWalEnd)
    }
}
