import Capture
import Shared
import Testing

@Suite("ferry capture --snapshot incremental: chunks interleaved with the stream, against the local stack")
struct IncrementalSnapshotTests {
    /// Updates, deletes, primary-key updates and inserts in the key range being read, as fast as one session can
    /// commit them, while 10 chunks of 2,000 rows are read: dozens of changes land inside each chunk's window
    /// (between its low and high watermarks), before and after the chunk's read, several on rows of the chunk. The topic folded by version must equal the table,
    /// every key's last message must be its newest version, and changes must reach Kafka during the load.
    @Test func changesInterleavedWithChunkReadsFoldToTheTable() async throws {
        try await TestStack.withDatabase("incr") { url in
            let db = try await PostgresConnection.connect(url)
            try await createItems(db, rows: 20000, noteRepeats: 40)
            let writer = sourceWriter(url) { session, round in
                let id = Int.random(in: 1...20000)
                switch round % 4 {
                case 0: try await session.query("UPDATE items SET v = v + 1, note = 'u\(round)' WHERE id = \(id)")
                case 1: try await session.query("DELETE FROM items WHERE id = \(id)")
                case 2: try await session.query("UPDATE items SET id = \(1_000_000 + round) WHERE id = \(id)")
                default:
                    try await session.query("INSERT INTO items VALUES (\(id), \(round), 'i\(round)') ON CONFLICT (id) DO UPDATE SET v = -1")
                }
            }
            let run = try IncrementalRun(url: url, tables: "public.items", chunkRows: 2000)
            try await run.waitUntilLoaded("public.items")
            try await Task.sleep(for: .milliseconds(300))
            writer.cancel()
            try await writer.value

            let (fold, streamed) = try await expectInVersionOrder(run.topic("public", "items"), folding: db)
            #expect((fold.operations[.read] ?? 0) > 15000)
            // Changes were not held back until the load ended: they reached the topic between chunks.
            #expect(streamed.count > 100, "\(fold.operations)")
            try await run.stop()
        }
    }

    /// The loader reads the next chunk while the stream still writes the one before; when that one's window is
    /// abandoned (here: a window may collect 20 keys, and a writer commits updates of 30 rows at a time), the chunk
    /// read after it is dropped from the progress too and both are read again — the state topic only ever names a
    /// chunk whose rows and every earlier chunk's are durable. Only updates, so the table keeps its 10,000 keys
    /// and a load that never re-reads a written chunk writes at most 10,000 read records: more show that chunks
    /// were in flight behind an abandoned one (their rows written twice), and the topic must still fold to the table.
    @Test func aChunkInFlightBehindAnAbandonedOneIsReadAgain() async throws {
        try await TestStack.withDatabase("incrflight") { url in
            let db = try await PostgresConnection.connect(url)
            try await createItems(db, rows: 10000, noteRepeats: 20)
            let writer = sourceWriter(url) { session, round in
                let ids = (0..<30).map { _ in String(Int.random(in: 1...10000)) }.joined(separator: ",")
                try await session.query("UPDATE items SET v = \(round), note = 'bulk \(round)' WHERE id IN (\(ids))")
                try await session.query("UPDATE items SET v = -\(round) WHERE id = \(Int.random(in: 1...10000))")
                try await Task.sleep(for: .milliseconds(15))
            }
            let run = try IncrementalRun(url: url, tables: "public.items", chunkRows: 400, windowKeyLimit: 20)
            try await run.waitUntilLoaded("public.items", within: .seconds(120))
            writer.cancel()
            try await writer.value

            let (fold, _) = try await expectInVersionOrder(run.topic("public", "items"), folding: db)
            #expect((fold.operations[.read] ?? 0) > 10000, "\(fold.operations)")
            try await run.stop()
        }
    }

    /// Chunk boundaries are key tuples compared in the key's order: a composite (text, int) key, a text key with
    /// quotes, backslashes and non-ASCII, an empty table, and a table whose rows are all deleted while it loads.
    @Test func compositeTextEmptyAndVanishingTablesLoad() async throws {
        try await TestStack.withDatabase("incrkeys") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query(
                """
                CREATE TABLE pairs (region text, n int, v int, PRIMARY KEY (region, n));
                INSERT INTO pairs SELECT r, g, 0 FROM unnest(ARRAY['a', 'B', 'ü', 'a b', 'z''q']) r, generate_series(1, 300) g;
                CREATE TABLE words (w text PRIMARY KEY, v int);
                INSERT INTO words SELECT w || g, g FROM unnest(ARRAY['o''k', E'back\\slash', 'ünï', ' lead', '']) w,
                  generate_series(1, 160) g;
                CREATE TABLE nothing (id int PRIMARY KEY);
                CREATE TABLE doomed (id int PRIMARY KEY, v int);
                INSERT INTO doomed SELECT g, g FROM generate_series(1, 1000) g;
                """)
            let run = try IncrementalRun(url: url, tables: "public.pairs,public.words,public.nothing,public.doomed", chunkRows: 97, workers: 2)
            let writer = sourceWriter(url, rounds: 100) { session, round in
                try await session.query("UPDATE pairs SET v = \(round) WHERE n = \(round * 3)")
                try await session.query("UPDATE words SET v = -v WHERE w = 'ünï\(round)'")
                try await session.query("DELETE FROM doomed WHERE id <= \(round * 10)")
                try await Task.sleep(for: .milliseconds(10))
            }
            try await writer.value
            for table in ["public.pairs", "public.words", "public.nothing", "public.doomed"] {
                try await run.waitUntilLoaded(table)
            }
            let tables = [("pairs", ["region", "n"]), ("words", ["w"]), ("nothing", ["id"]), ("doomed", ["id"])]
            var expected: [String: [JSONObject: [String: JSONValue]]] = [:]
            for (table, key) in tables {
                expected[run.topic("public", table)] = try await tableRows(db, schema: "public", table: table, keyColumns: key)
            }
            #expect(expected[run.topic("public", "pairs")]?.count == 1500)
            #expect(expected[run.topic("public", "words")]?.count == 800)
            #expect(expected[run.topic("public", "doomed")]?.isEmpty == true)
            let topics = Array(expected.keys)
            let folds = try await TopicFold.read(topics: topics, brokers: try TestStack.brokers) { folds in
                topics.allSatisfy { folds[$0]?.table == expected[$0] }
            }
            for topic in topics {
                #expect(difference(expected: expected[topic] ?? [:], actual: folds[topic]?.table ?? [:]) == nil, "\(topic)")
            }
            #expect(folds[run.topic("public", "nothing")]?.recordCount == 0)
            #expect((folds[run.topic("public", "pairs")]?.operations[.read] ?? 0) > 1000)
            let status = run.service.progress.snapshot
            #expect(status.first { $0.name == "public.pairs" }?.chunks ?? 0 >= 15)
            try await run.stop()
        }
    }

    /// The source's xmin horizon is held by capture for one chunk's read at a time, not for the load: sampled
    /// every 5 ms while a writer keeps assigning transaction ids, no capture backend shows the same `backend_xmin`
    /// for more than a quarter of the load's 40 chunks. (Relative to the load, not a fixed second: on a loaded
    /// machine one chunk's read took 1.08 s, and a snapshot held for the load would still show here.)
    @Test func xminIsHeldForOneChunkAtATime() async throws {
        try await TestStack.withDatabase("incrxmin") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query(
                """
                CREATE TABLE big (id int PRIMARY KEY, pad text);
                INSERT INTO big SELECT g, repeat('x', 200) FROM generate_series(1, 40000) g;
                CREATE TABLE ticks (id serial PRIMARY KEY);
                """)
            let writer = sourceWriter(url) { session, _ in try await session.query("INSERT INTO ticks DEFAULT VALUES") }
            let run = try IncrementalRun(url: url, tables: "public.big", chunkRows: 1000)
            let started = ContinuousClock.now
            var held: [String: (first: ContinuousClock.Instant, last: ContinuousClock.Instant)] = [:]
            let observer = try await PostgresConnection.connect(url)
            while run.service.progress.snapshot.first(where: { $0.name == "public.big" })?.state != .loaded,
                ContinuousClock.now - started < .seconds(60)
            {
                let rows = try await observer.query(
                    """
                    SELECT pid::text || '/' || backend_xmin::text FROM pg_stat_activity
                    WHERE application_name LIKE 'ferry-%' AND backend_xmin IS NOT NULL AND datname = current_database()
                    """)
                let now = ContinuousClock.now
                for case let holder? in rows.rows.compactMap({ $0.first }) {
                    held[holder] = (held[holder]?.first ?? now, now)
                }
                try await Task.sleep(for: .milliseconds(5))
            }
            let loadTime = ContinuousClock.now - started
            writer.cancel()
            _ = try? await writer.value
            let longest = held.values.map { $0.last - $0.first }.max() ?? .zero
            #expect(held.count >= 10, "distinct (backend, xmin) seen: \(held.count)")
            #expect(longest < loadTime / 4, "an xmin held for \(longest) of a \(loadTime) load")
            #expect(loadTime > .seconds(2))
            try await run.stop()
        }
    }

    /// `ALTER TABLE … ADD COLUMN x numeric DEFAULT 1.25` writes no WAL for the existing rows, so their records never
    /// get `x`; `ferry snapshot` asks the running capture (here one that loaded the table from its exported
    /// snapshot) to re-read the table, and then every row's newest record has `x`.
    @Test func onDemandSnapshotAfterAddColumnDefaultGivesEveryRowTheColumn() async throws {
        try await TestStack.withDatabase("incrdemand") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query(
                """
                CREATE TABLE loans (id int PRIMARY KEY, amount numeric);
                INSERT INTO loans SELECT g, g * 10 FROM generate_series(1, 500) g;
                """)
            let run = try IncrementalRun(url: url, tables: "public.loans", chunkRows: 120, mode: .initial)
            try await run.waitUntilLoaded("public.loans")
            try await db.query("ALTER TABLE loans ADD COLUMN x numeric DEFAULT 1.25")
            try await db.query("UPDATE loans SET amount = -amount WHERE id % 100 = 0")
            await #expect(throws: SnapshotRequestError.self) {
                try await SnapshotSignal.send(
                    SnapshotSignal(topicPrefix: run.prefix, tableList: "public.nope", filter: nil), source: SourceConnector(connectionString: url))
            }
            await #expect(throws: SnapshotRequestError.self) {
                try await SnapshotSignal.send(
                    SnapshotSignal(topicPrefix: run.prefix, tableList: "public.loans", filter: "no_such_column > 1"),
                    source: SourceConnector(connectionString: url))
            }
            _ = try await SnapshotSignal.send(
                SnapshotSignal(topicPrefix: run.prefix, tableList: "public.loans", filter: nil), source: SourceConnector(connectionString: url))
            try await run.waitUntilLoaded("public.loans", chunks: 5)

            let expected = try await tableRows(db, schema: "public", table: "loans", keyColumns: ["id"])
            #expect(expected.values.allSatisfy { $0["x"] == .number("1.25") })
            let topic = run.topic("public", "loans")
            let folds = try await TopicFold.read(topics: [topic], brokers: try TestStack.brokers) { $0[topic]?.table == expected }
            let fold = try #require(folds[topic])
            #expect(difference(expected: expected, actual: fold.table) == nil)
            #expect(difference(expected: expected, actual: fold.compactedTable) == nil)
            #expect(run.service.progress.snapshot.first?.chunks == 5)
            try await run.stop()
        }
    }
}

/// `public.items (id, v, note)` with `rows` rows, `v` 0, `note` 'row <id>' repeated `noteRepeats` times.
private func createItems(_ db: PostgresConnection, rows: Int, noteRepeats: Int) async throws {
    try await db.query(
        """
        CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL, note text);
        INSERT INTO items SELECT g, 0, repeat('row ' || g, \(noteRepeats)) FROM generate_series(1, \(rows)) g;
        """)
}

/// Reads `topic` — one partition, so offset order is stream order — until it folds to `public.items` (key `id`) in
/// `db`, and expects the fold and the compacted topic to equal the table and every key's versions to only grow.
/// Returns the fold and the count of changes streamed while the load ran.
private func expectInVersionOrder(_ topic: String, folding db: PostgresConnection) async throws
    -> (TopicFold, StreamedDuringLoad)
{
    let expected = try await tableRows(db, schema: "public", table: "items", keyColumns: ["id"])
    var streamed = StreamedDuringLoad()
    var versions: [JSONObject: RecordVersion] = [:]
    var outOfOrder = 0
    let folds = try await TopicFold.read(topics: [topic], brokers: try TestStack.brokers) {
        $0[topic]?.table == expected
    } observe: { record in
        streamed.observe(record)
        guard let key = record.key else { return }
        if let last = versions[key], record.version < last { outOfOrder += 1 }
        versions[key] = record.version
    }
    let fold = try #require(folds[topic])
    #expect(difference(expected: expected, actual: fold.table) == nil)
    #expect(difference(expected: expected, actual: fold.compactedTable) == nil)
    #expect(outOfOrder == 0)
    return (fold, streamed)
}

/// An in-process `ferry capture --snapshot incremental` of `tables`, into a topic prefix of its own.
struct IncrementalRun {
    let prefix: String
    let service: CaptureService
    let task: Task<Void, any Error>

    init(
        url: String, tables: String, chunkRows: Int, workers: Int = 1, mode: CaptureOptions.SnapshotMode = .incremental,
        windowKeyLimit: Int = CaptureOptions.defaultIncrementalWindowKeyLimit
    ) throws {
        prefix = TestStack.uniqueName("incr")
        var options = CaptureOptions(
            sourceURL: url, kafka: try TestStack.kafkaConfiguration(), prefix: prefix,
            selection: try TableSelection.parse(tables: tables))
        options.snapshotMode = mode
        options.incrementalChunkRows = chunkRows
        options.incrementalWindowKeyLimit = windowKeyLimit
        options.snapshotWorkers = workers
        options.heartbeatInterval = .milliseconds(500)
        let service = CaptureService(options: options, logger: TestStack.logger)
        self.service = service
        task = Task { try await service.run() }
    }

    func topic(_ schema: String, _ table: String) -> String { "\(prefix).\(schema).\(table)" }

    /// Returns once the table's snapshot completed (state `loaded`) after at least `chunks` incremental chunks.
    func waitUntilLoaded(_ table: String, chunks: Int = 0, within patience: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now.advanced(by: patience)
        while ContinuousClock.now < deadline {
            let progress = service.progress.snapshot.first { $0.name == table }
            if progress?.state == .loaded, progress?.chunks ?? 0 >= chunks { return }
            if let problem = service.progress.currentProblem { Issue.record("capture: \(problem)") }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the incremental snapshot of \(table) did not complete within \(patience)")
    }

    func stop() async throws {
        task.cancel()
        try await task.value
    }
}
