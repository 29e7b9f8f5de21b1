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
            try await db.query(
                """
                CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL, note text);
                INSERT INTO items SELECT g, 0, repeat('row ' || g, 40) FROM generate_series(1, 20000) g;
                """)
            let writer = Task {
                let session = try await PostgresConnection.connect(url)
                var round = 0
                while !Task.isCancelled {
                    round += 1
                    let id = Int.random(in: 1...20000)
                    switch round % 4 {
                    case 0: try await session.query("UPDATE items SET v = v + 1, note = 'u\(round)' WHERE id = \(id)")
                    case 1: try await session.query("DELETE FROM items WHERE id = \(id)")
                    case 2:
                        try await session.query(
                            "UPDATE items SET id = \(1_000_000 + round) WHERE id = \(id)")
                    default:
                        try await session.query("INSERT INTO items VALUES (\(id), \(round), 'i\(round)') ON CONFLICT (id) DO UPDATE SET v = -1")
                    }
                }
            }
            let run = try IncrementalRun(url: url, tables: "public.items", chunkRows: 2000)
            try await run.waitUntilLoaded("public.items")
            try await Task.sleep(for: .milliseconds(300))
            writer.cancel()
            try await writer.value

            let expected = try await tableRows(db, schema: "public", table: "items", keyColumns: ["id"])
            let topic = run.topic("public", "items")
            var streamedBeforeLastRead = 0
            var streamedSinceRead = 0
            var versions: [JSONObject: RecordVersion] = [:]
            var outOfOrder = 0
            let folds = try await TopicFold.read(topics: [topic], brokers: try TestStack.brokers) {
                $0[topic]?.table == expected
            } observe: { record in
                if record.op == .read {
                    streamedBeforeLastRead += streamedSinceRead
                    streamedSinceRead = 0
                } else {
                    streamedSinceRead += 1
                }
                // One partition: offset order is stream order, and each key's versions must only grow.
                guard let key = record.key else { return }
                if let last = versions[key], record.version < last { outOfOrder += 1 }
                versions[key] = record.version
            }
            let fold = try #require(folds[topic])
            #expect(difference(expected: expected, actual: fold.table) == nil)
            #expect(difference(expected: expected, actual: fold.compactedTable) == nil)
            #expect(outOfOrder == 0)
            #expect((fold.operations[.read] ?? 0) > 15000)
            // Changes were not held back until the load ended: they reached the topic between chunks.
            #expect(streamedBeforeLastRead > 100, "\(fold.operations)")
            try await run.stop()
        }
    }
}

/// An in-process `ferry capture --snapshot incremental` of `tables`, into a topic prefix of its own.
struct IncrementalRun {
    let prefix: String
    let service: CaptureService
    let task: Task<Void, any Error>

    init(url: String, tables: String, chunkRows: Int, workers: Int = 1) throws {
        prefix = TestStack.uniqueName("incr")
        var options = CaptureOptions(
            sourceURL: url, kafka: try TestStack.kafkaConfiguration(), prefix: prefix,
            selection: try TableSelection.parse(tables: tables))
        options.snapshotMode = .incremental
        options.incrementalChunkRows = chunkRows
        options.snapshotWorkers = workers
        options.heartbeatInterval = .milliseconds(500)
        let service = CaptureService(options: options, logger: TestStack.logger)
        self.service = service
        task = Task { try await service.run() }
    }

    func topic(_ schema: String, _ table: String) -> String { "\(prefix).\(schema).\(table)" }

    /// Returns once the table's incremental snapshot completed (state `loaded`).
    func waitUntilLoaded(_ table: String, within patience: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now.advanced(by: patience)
        while ContinuousClock.now < deadline {
            if service.progress.snapshot.first(where: { $0.name == table })?.state == .loaded { return }
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
