import Capture
import Logging
import Shared
import Testing

@Suite("ferry capture: snapshot + stream into Kafka, against the local stack")
struct CaptureStreamTests {
    /// Every type docs/design.md lists, a mixed-case schema-qualified name and a TOASTed column.
    static let schema = """
        CREATE SCHEMA dbo;
        CREATE TYPE mood AS ENUM ('calm', 'busy');
        CREATE TABLE dbo."Payments" (
            "PaymentId" int PRIMARY KEY, "CustomerId" bigint NOT NULL, "PaymentAmount" numeric(20,5), "Rate" float8,
            "Paid" bool, "PaymentDate" date, "CreatedAt" timestamp, "SettledAt" timestamptz, "Meta" jsonb, "Blob" bytea,
            "Tags" text[], "Scores" int4[], "Ref" uuid, "Mood" mood, "Note" text);
        CREATE TABLE public.notes (id int PRIMARY KEY, title text, body text);
        ALTER TABLE public.notes ALTER COLUMN body SET STORAGE EXTERNAL;
        """

    static func insertPayments(_ range: ClosedRange<Int>) -> String {
        """
        INSERT INTO dbo."Payments" SELECT g, g * 7, (g * 1234567.12345)::numeric(20,5), g / 3.0, g % 2 = 0,
          DATE '2024-01-01' + g, TIMESTAMP '2024-01-01 10:00:00.123456' + g * INTERVAL '1 minute',
          TIMESTAMPTZ '2024-01-01 10:00:00.5+02' + g * INTERVAL '1 second',
          jsonb_build_object('n', g, 'big', 123456789012345678901234567890.5, 'list', jsonb_build_array(g, 'x', null)),
          decode(lpad(to_hex(g), 8, '0'), 'hex'), ARRAY['a' || g, NULL, 'q"uote'], ARRAY[g, -g],
          md5(g::text)::uuid, CASE WHEN g % 3 = 0 THEN 'busy' ELSE 'calm' END::mood,
          CASE WHEN g % 5 = 0 THEN NULL ELSE E'tab\\there "é" ✓' || g END
        FROM generate_series(\(range.lowerBound), \(range.upperBound)) g
        """
    }

    @Test func snapshotAndStreamUnderConcurrentWritesReproduceTheTables() async throws {
        try await TestStack.withDatabase("capture") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query(Self.schema)
            try await db.query(Self.insertPayments(1...3000))
            try await db.query("INSERT INTO notes SELECT g, 'title ' || g, repeat('toast-' || g, 800) FROM generate_series(1, 40) g")

            let prefix = TestStack.uniqueName("cap")
            var options = CaptureOptions(
                sourceURL: url, kafka: try TestStack.kafkaConfiguration(), prefix: prefix,
                selection: try TableSelection.parse(tables: "dbo.Payments,public.notes"))
            options.partitions = 2
            options.heartbeatInterval = .milliseconds(500)
            let service = CaptureService(options: options, logger: TestStack.logger)
            let capture = Task { try await service.run() }
            // Start writing once the snapshot is exported (the slot's consistent point is reached only when the
            // transactions running at its creation end): every later write must come through the stream.
            try await service.waitForSnapshotExport()

            // A second session whose transactions interleave with the main writer's (begin before, commit after).
            let interleaved = Task {
                let session = try await PostgresConnection.connect(url)
                for index in 0..<20 {
                    try await session.query("BEGIN")
                    try await session.query(Self.insertPayments((800000 + index)...(800000 + index)))
                    try await session.query("SELECT pg_sleep(0.02)")
                    try await session.query(#"UPDATE dbo."Payments" SET "Note" = 'interleaved' WHERE "PaymentId" = $1"#, ["\(800000 + index)"])
                    try await session.query("COMMIT")
                }
            }
            // Writes while the snapshot runs and after: every kind of change, in many transactions.
            var next = 3001
            for round in 0..<60 {
                try await db.query(Self.insertPayments(next...(next + 9)))
                next += 10
                try await db.query(
                    """
                    BEGIN;
                    UPDATE dbo."Payments" SET "PaymentAmount" = "PaymentAmount" + 0.00001, "Note" = 'round \(round)'
                      WHERE "PaymentId" % 97 = \(round % 97);
                    DELETE FROM dbo."Payments" WHERE "PaymentId" = \(round * 41 + 7);
                    UPDATE notes SET title = 'retitled \(round)' WHERE id = \(round % 40 + 1);
                    COMMIT;
                    """)
                if round == 20 {
                    // Primary-key update: a delete of the old key and a create of the new one.
                    try await db.query(#"UPDATE dbo."Payments" SET "PaymentId" = 900000 + "PaymentId" WHERE "PaymentId" BETWEEN 100 AND 104"#)
                }
                if round == 30 {
                    try await db.query(#"ALTER TABLE dbo."Payments" ADD COLUMN "Extra" text"#)
                    try await db.query(#"UPDATE dbo."Payments" SET "Extra" = 'added ' || "PaymentId" WHERE "PaymentId" % 50 = 0"#)
                }
                if round == 45 {
                    try await db.query("TRUNCATE notes")
                    try await db.query("INSERT INTO notes SELECT g, 'again ' || g, repeat('body-' || g, 900) FROM generate_series(1, 20) g")
                }
            }

            try await interleaved.value
            let expectedPayments = try await tableRows(db, schema: "dbo", table: "Payments", keyColumns: ["PaymentId"])
            let expectedNotes = try await tableRows(db, schema: "public", table: "notes", keyColumns: ["id"])
            let paymentsTopic = "\(prefix).dbo.Payments"
            let notesTopic = "\(prefix).public.notes"
            // Rows never touched after ADD COLUMN have no "Extra" in their records; PostgreSQL shows it as NULL.
            func normalized(_ rows: [JSONObject: [String: JSONValue]]) -> [JSONObject: [String: JSONValue]] {
                rows.mapValues { row in row["Extra"] == nil ? row.merging(["Extra": .null]) { old, _ in old } : row }
            }
            let folds = try await TopicFold.read(topics: [paymentsTopic, notesTopic], brokers: try TestStack.brokers) { folds in
                normalized(folds[paymentsTopic]?.table ?? [:]) == expectedPayments && folds[notesTopic]?.table == expectedNotes
            }
            let payments = try #require(folds[paymentsTopic])
            let notes = try #require(folds[notesTopic])
            #expect(expectedPayments.count == 3000 + 600 - 60 + 20)
            #expect(difference(expected: expectedPayments, actual: normalized(payments.table)) == nil)
            #expect(difference(expected: expectedNotes, actual: notes.table) == nil)
            // Each row's last message is its latest version (snapshot rows come before the changes made during the
            // snapshot), so the compacted topic still holds the table.
            #expect(difference(expected: expectedPayments, actual: normalized(payments.compactedTable)) == nil)
            #expect(payments.operations[.read] == 3000)
            #expect((payments.operations[.create] ?? 0) >= 625)
            #expect((payments.operations[.update] ?? 0) > 0)
            #expect((payments.operations[.delete] ?? 0) >= 65)
            #expect(notes.operations[.truncate] == 1)
            #expect(payments.messagesWithAnotherKey == 0)
            #expect(notes.messagesWithAnotherKey == 0)
            #expect(notes.unchangedSeen > 0)  // title-only updates leave the TOASTed body unsent

            capture.cancel()
            try await capture.value
            // Acknowledged late but acknowledged: the slot moved past every change we read.
            let confirmed = try await db.query(
                "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = $1", [options.slot]
            ).value("confirmed_flush_lsn").flatMap(LSN.init)
            #expect(confirmed.map { $0 > payments.highestCommitLSN } == true)
        }
    }

    /// Large enough (by the planner's setting here) to be read as key ranges by three workers in one snapshot.
    @Test func snapshotInKeyRangesReproducesTheTable() async throws {
        try await TestStack.withDatabase("snap") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query(Self.schema)
            try await db.query(Self.insertPayments(1...2500))
            try await db.query(#"ALTER TABLE dbo."Payments" ADD COLUMN "Extra" text"#)
            try await db.query(#"UPDATE dbo."Payments" SET "Extra" = 'x' || "PaymentId" WHERE "PaymentId" % 7 = 0"#)
            try await db.query(#"ANALYZE dbo."Payments""#)  // the planner splits by estimated rows
            let expected = try await tableRows(db, schema: "dbo", table: "Payments", keyColumns: ["PaymentId"])

            let prefix = TestStack.uniqueName("snap")
            var options = CaptureOptions(
                sourceURL: url, kafka: try TestStack.kafkaConfiguration(), prefix: prefix,
                selection: try TableSelection.parse(tables: "dbo.Payments"))
            options.snapshotWorkers = 3
            options.rowsPerSnapshotChunk = 400
            let capture = Task { try await CaptureService(options: options, logger: TestStack.logger).run() }
            let topic = "\(prefix).dbo.Payments"
            let folds = try await TopicFold.read(topics: [topic], brokers: try TestStack.brokers, timeout: .seconds(30)) {
                $0[topic]?.table == expected
            }
            capture.cancel()
            try await capture.value
            let fold = try #require(folds[topic])
            #expect(fold.operations == [.read: 2500])
            #expect(difference(expected: expected, actual: fold.table) == nil)
        }
    }

    /// A partitioned table's changes come under its own name (the publication publishes via the root): streamed
    /// ones reach the table's topic, not topics named after the partitions, and a restart finds the publication
    /// complete. A publication made without that option is refused, naming the fix.
    @Test func aPartitionedTableStreamsUnderItsOwnNameAcrossRestarts() async throws {
        try await TestStack.withDatabase("parted") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query(
                """
                CREATE TABLE ev (id int, region text, v int, PRIMARY KEY (id, region)) PARTITION BY LIST (region);
                CREATE TABLE ev_a PARTITION OF ev FOR VALUES IN ('a');
                CREATE TABLE ev_b PARTITION OF ev FOR VALUES IN ('b');
                INSERT INTO ev VALUES (1, 'a', 1), (2, 'b', 2);
                """)
            let prefix = TestStack.uniqueName("parted")
            let options = CaptureOptions(
                sourceURL: url, kafka: try TestStack.kafkaConfiguration(), prefix: prefix,
                selection: try TableSelection.parse(tables: "public.ev"))
            let topic = "\(prefix).public.ev"
            func expectTopicEqualsTable() async throws {
                let expected = try await tableRows(db, schema: "public", table: "ev", keyColumns: ["id", "region"])
                let folds = try await TopicFold.read(topics: [topic], brokers: try TestStack.brokers, timeout: .seconds(30)) {
                    $0[topic]?.table == expected
                }
                #expect(difference(expected: expected, actual: folds[topic]?.table ?? [:]) == nil)
            }

            var capture = Task { try await CaptureService(options: options, logger: TestStack.logger).run() }
            try await expectTopicEqualsTable()
            try await db.query("INSERT INTO ev VALUES (3, 'a', 3); UPDATE ev SET v = 20 WHERE id = 2; DELETE FROM ev WHERE id = 1;")
            try await expectTopicEqualsTable()
            capture.cancel()
            try await capture.value

            capture = Task { try await CaptureService(options: options, logger: TestStack.logger).run() }
            try await db.query("INSERT INTO ev VALUES (4, 'b', 4); UPDATE ev SET v = 30 WHERE id = 3;")
            try await expectTopicEqualsTable()
            capture.cancel()
            try await capture.value

            // A publication of the table made by hand, without publish_via_partition_root.
            let other = TestStack.uniqueName("parted")
            try await db.query("CREATE PUBLICATION \"ferry_\(other)\" FOR TABLE ev")
            let refused = CaptureOptions(
                sourceURL: url, kafka: try TestStack.kafkaConfiguration(), prefix: other,
                selection: try TableSelection.parse(tables: "public.ev"))
            let error = await #expect(throws: CaptureStopped.self) {
                try await CaptureService(options: refused, logger: TestStack.logger).run()
            }
            #expect(error?.description.contains("SET (publish_via_partition_root = true)") == true, "\(String(describing: error))")
        }
    }
}
