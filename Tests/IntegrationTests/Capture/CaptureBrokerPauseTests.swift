import Foundation
import Shared
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The Kafka broker stops answering (SIGSTOP: a hung or partitioned broker, connections open but silent) while
/// capture streams and apply applies: the slot is not acknowledged past the first change Kafka does not hold, so
/// PostgreSQL keeps it; when the broker answers again (SIGCONT) both go on, and the topic and DynamoDB equal the table.
@Suite("A Kafka broker that stops answering, against a private broker")
struct CaptureBrokerPauseTests {
    @Test func nothingPastKafkaIsAcknowledgedWhileTheBrokerIsStopped() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(TestStack.uniqueName("brokerpause"))
        let broker = try await PrivateBroker.start(in: directory)
        defer {
            broker.process.signal(SIGCONT)
            broker.process.signal(SIGTERM)
        }
        try await TestStack.withDatabase("brokerpause") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query(
                "CREATE TABLE orders (id int PRIMARY KEY, name text); INSERT INTO orders SELECT g, 'before' FROM generate_series(1, 100) g")
            let pipeline = try await OrdersPipeline.start(source: url, name: "brokerpause", brokers: broker.address)
            defer { Task { await pipeline.dropTarget() } }
            let topic = "\(pipeline.prefix).public.orders"
            let loaded = try await pipeline.items { $0.count == 100 }
            try #require(loaded.count == 100, "\(pipeline.output)")

            broker.process.signal(SIGSTOP)
            try await db.query("INSERT INTO orders SELECT g, 'while stopped' FROM generate_series(101, 150) g")
            let slot = ReplicationNames.defaultName(forPrefix: pipeline.prefix)
            var confirmed: [LSN] = []
            for _ in 0..<16 {
                try await Task.sleep(for: .milliseconds(500))
                let row = try await db.query("SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = $1", [slot])
                if let lsn = row.rows.first?.first.flatMap({ $0 }).flatMap(LSN.init) { confirmed.append(lsn) }
            }
            broker.process.signal(SIGCONT)

            let expected = try await tableRows(db, schema: "public", table: "orders", keyColumns: ["id"])
            var stoppedCommits: Set<LSN> = []
            let folds = try await TopicFold.read(
                topics: [topic], brokers: broker.address, timeout: .seconds(120), until: { $0[topic]?.table == expected }
            ) { record in
                if case .string("while stopped")? = record.after?["name"] { stoppedCommits.insert(record.source.commitLSN) }
            }
            #expect(difference(expected: expected, actual: folds[topic]?.table ?? [:]) == nil, "\(pipeline.output)")
            // The 50 rows were one transaction: its commit was never acknowledged while Kafka could not hold it.
            let commit = try #require(stoppedCommits.first, "\(stoppedCommits)")
            #expect(stoppedCommits.count == 1)
            #expect(confirmed.count == 16 && confirmed.allSatisfy { $0 < commit }, "slot at \(confirmed), commit \(commit)")
            let items = try await pipeline.items { $0.count == 150 }
            #expect(items.map(ApplyTestTopic.id(of:)) == Array(1...150), "\(pipeline.output)")

            pipeline.capture.signal(SIGTERM)
            pipeline.apply.signal(SIGTERM)
            #expect(try await pipeline.capture.wait(within: .seconds(60)) == 0, "\(pipeline.output)")
            #expect(try await pipeline.apply.wait(within: .seconds(60)) == 0, "\(pipeline.output)")
        }
    }
}
