import Logging
import Shared

/// Writes dead letters to `<prefix>.ferry.dlq` and waits until Kafka has them: a bad record's offset is committed
/// only once its dead letter is durable, so a bad record never vanishes.
final class DeadLetterPublisher: Sendable {
    private let producer: KafkaProducer
    private let topic: String
    private let tally = KafkaDeliveryTally()

    init(configuration: KafkaConfiguration, topic: String, logger: Logger) throws {
        let tally = self.tally
        self.producer = try KafkaProducer(configuration: configuration, logger: logger) { event in
            if case .deliveryReports(let reports) = event {
                for report in reports where report.error != nil {
                    logger.error(
                        "dead letter not delivered",
                        metadata: ["topic": "\(report.topic)", "error": "\(report.error.map { "\($0)" } ?? "")"])
                }
            }
            tally.record(event)
        }
        self.topic = topic
    }

    /// Runs the producer while `body` runs and stops it on every way out (see `KafkaProducer.withRunning`).
    func withRunning<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        try await producer.withRunning(body)
    }

    /// Returns once Kafka has acknowledged every dead letter; throws if it refused one.
    func publish(_ letters: [DeadLetter]) async throws {
        guard !letters.isEmpty else { return }
        let failuresBefore = tally.failures.count
        try await producer.send(letters.map { $0.message(to: topic) })
        // Returns once the producer's run loop has handed over every report, so the tally counts them.
        try await producer.flush(timeout: .seconds(60))
        let failures = tally.failures.count - failuresBefore
        guard failures == 0 else { throw ApplyError.deadLetterNotDelivered(topic: topic, failures: failures) }
    }
}
