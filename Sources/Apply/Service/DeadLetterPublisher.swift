import Logging
import Shared
import Synchronization

/// Writes dead letters to `<prefix>.ferry.dlq` and waits until Kafka has them: a bad record's offset is committed
/// only once its dead letter is durable, so a bad record never vanishes.
final class DeadLetterPublisher: Sendable {
    /// Delivery reports seen so far, counted by the task that drains them.
    private final class Tally: Sendable {
        private let counts = Mutex((reported: 0, failed: 0))
        var current: (reported: Int, failed: Int) { counts.withLock { $0 } }
        func add(reported: Int, failed: Int) {
            counts.withLock { $0 = ($0.reported + reported, $0.failed + failed) }
        }
    }

    private let producer: KafkaProducer
    private let topic: String
    private let tally = Tally()
    private let sent = Mutex(0)
    private let reportsTask: Task<Void, Never>

    init(configuration: KafkaConfiguration, topic: String, logger: Logger) throws {
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        self.producer = producer
        self.topic = topic
        let tally = self.tally
        // The producer's reports must be drained; `publish` waits for them.
        reportsTask = Task {
            for await reports in producer.deliveryReports {
                let failures = reports.filter { $0.error != nil }
                for report in failures {
                    logger.error(
                        "dead letter not delivered",
                        metadata: ["topic": "\(report.topic)", "error": "\(report.error.map { "\($0)" } ?? "")"])
                }
                tally.add(reported: reports.count, failed: failures.count)
            }
        }
    }

    /// Returns once Kafka has acknowledged every dead letter; throws if it refused one.
    func publish(_ letters: [DeadLetter]) async throws {
        guard !letters.isEmpty else { return }
        let failuresBefore = tally.current.failed
        let target = sent.withLock { sent in
            sent += letters.count
            return sent
        }
        try await producer.send(letters.map { $0.message(to: topic) })
        try await producer.flush(timeout: .seconds(60))
        // flush returns when librdkafka has the reports; they reach `reportsTask` a moment later.
        while tally.current.reported < target { try await Task.sleep(for: .milliseconds(2)) }
        let failures = tally.current.failed - failuresBefore
        guard failures == 0 else { throw ApplyError.deadLetterNotDelivered(topic: topic, failures: failures) }
    }

    func shutdown() async throws {
        defer { reportsTask.cancel() }
        try await producer.shutdown()
    }
}
