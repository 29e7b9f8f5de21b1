import Capture
import Foundation
import Logging
import Shared
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("ferry capture retries what can heal, and a failed attempt leaves nothing behind, against the local stack")
struct CaptureRetryTests {
    /// 20 times the capture's walsender is terminated (PostgreSQL ends the stream, SQLSTATE 57P01): each time capture
    /// retries with a new attempt. Every attempt's producer (threads, broker connections, its report handling) ends
    /// with it, so the process's threads and descriptors stay flat from the 5th failure to the 20th, and the topic
    /// still holds the table.
    @Test func twentyStreamFailuresLeakNoThreadsOrDescriptors() async throws {
        try await TestStack.withDatabase("retry") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query("CREATE TABLE items (id int PRIMARY KEY, version int NOT NULL); INSERT INTO items SELECT g, 0 FROM generate_series(1, 50) g;")
            let prefix = TestStack.uniqueName("retry")
            let slot = "ferry_\(prefix)"
            let (capture, _, httpPort) = try await startStreamingItemsCapture(url: url, prefix: prefix, arguments: ["--partitions", "2"])

            var walsender = try await activeWalsender(of: slot, on: db, other: nil)
            var afterFifth: (threads: Int, descriptors: Int)?
            for failure in 1...20 {
                try await db.query("UPDATE items SET version = \(failure) WHERE id IN (\(failure), \(failure + 20))")
                try await db.query("SELECT pg_terminate_backend(\(walsender))")
                walsender = try await activeWalsender(of: slot, on: db, other: walsender)
                if failure == 5 || failure == 20 {
                    // The new attempt is streaming; let the one before finish tearing down (librdkafka joins its
                    // threads when the handle is destroyed) and idle dispatch threads retire.
                    try await waitUntilStreaming(slot: slot, port: httpPort)
                    try await Task.sleep(for: .seconds(3))
                    let counts = (threads: try entries(in: "/proc/\(capture.pid)/task"), descriptors: try entries(in: "/proc/\(capture.pid)/fd"))
                    if let afterFifth {
                        // An attempt's producer alone is 4+ threads (librdkafka's main thread and one per broker
                        // connection and bootstrap address) and 3+ descriptors (broker sockets, wake-up pipes): 15
                        // leaked attempts would add 60+ and 45+. The tolerance covers what comes and goes by
                        // itself: dispatch's worker threads for the blocking executors, a PostgreSQL connection
                        // being replaced.
                        #expect(counts.threads <= afterFifth.threads + 4, "threads \(afterFifth.threads) → \(counts.threads)")
                        #expect(counts.descriptors <= afterFifth.descriptors + 4, "descriptors \(afterFifth.descriptors) → \(counts.descriptors)")
                    } else {
                        afterFifth = counts
                    }
                }
            }
            let status = try await HTTPTestConnection.send(.GET, "/status", port: httpPort)
            guard case .object(let fields) = try JSONParser.parse(status.body) else { throw ChildProcess.TimedOut(what: "a /status object", patience: .zero) }
            #expect(fields["last_error"].map { "\($0)" }?.contains("57P01") == true)
            let metrics = try await HTTPTestConnection.send(.GET, "/metrics", port: httpPort)
            #expect(metrics.body.contains("ferry_capture_retries_total 20"))

            let expected = try await tableRows(db, schema: "public", table: "items", keyColumns: ["id"])
            let topic = "\(prefix).public.items"
            let folds = try await TopicFold.read(topics: [topic], brokers: try TestStack.brokers) { $0[topic]?.table == expected }
            #expect(difference(expected: expected, actual: try #require(folds[topic]).table) == nil)
            capture.signal(SIGTERM)
            #expect(try await capture.wait(within: .seconds(30)) == 0)
        }
    }

    /// The walsender streaming `slot`, once it is not `other` (a new attempt has connected).
    private func activeWalsender(of slot: String, on db: PostgresConnection, other: String?) async throws -> String {
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while ContinuousClock.now < deadline {
            let pid = try await db.query(
                "SELECT active_pid::text FROM pg_replication_slots WHERE slot_name = $1", [slot]
            ).rows.first?[0].flatMap { $0 }
            if let pid, pid != other { return pid }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ChildProcess.TimedOut(what: "walsender for \(slot) other than \(other ?? "none")", patience: .seconds(60))
    }

    private func entries(in directory: String) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: directory).count
    }
}

@Suite("ChangePublisher: a table is complete only once every delivery succeeded, against the local stack")
struct ChangePublisherDeliveryTests {
    /// Deliveries that fail (here: no broker answers, and `message.timeout.ms` gives up after a second) in the
    /// last batch before a table's completion marker: `sendDurably` throws instead of reporting the marker sent.
    @Test func aFailedDeliveryInTheLastBatchFailsTheCompletion() async throws {
        let unreachable = try ReservedPort()  // bound, never listening: no broker answers there
        let configuration = KafkaConfiguration(
            brokers: "127.0.0.1:\(unreachable.port)", ["message.timeout.ms": "1000", "linger.ms": "0"])
        let publisher = try ChangePublisher(configuration: configuration, logger: TestStack.logger)
        let topic = TestStack.uniqueName("unreachable")
        var builder = KafkaMessageBatchBuilder(capacity: 64, messages: 2)
        builder.use(topic: topic)
        for id in 1...2 {
            Array(#"{"id":\#(id)}"#.utf8).withUnsafeBufferPointer { builder.bytes.append($0) }
            builder.endKey()
            Array(#"{"op":"r"}"#.utf8).withUnsafeBufferPointer { builder.bytes.append($0) }
            builder.endMessage()
        }
        let batch = builder.build()
        let marker = SnapshotStateStore(prefix: topic).completionMessage(
            table: "public.items", rows: 2, consistentPoint: LSN(rawValue: 1), generation: 0, atMs: 0)
        let thrown = await #expect(throws: KafkaError.self) {
            try await publisher.withRunning {
                publisher.start(at: LSN(rawValue: 1))
                try await publisher.publish(batch, of: .read)
                try await publisher.sendDurably([marker])
            }
        }
        #expect(thrown?.code == KafkaError.Code(rawValue: -192), "\(thrown.map { "\($0)" } ?? "")")  // _MSG_TIMED_OUT
    }
}
