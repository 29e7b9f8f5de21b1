import Logging
import Shared

/// Reads the target's partitions without a consumer group (manual assignment, no commits), from the asked
/// position, and hands each entry that passes the filter to `emit`, merged across partitions by timestamp.
public struct TailSession: Sendable {
    public let options: TailOptions
    let logger: Logger

    public init(options: TailOptions, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    /// Runs until the end (or forever with `follow`), or until `limit` entries were emitted; returns the count.
    /// `emit` gets the entries in batches, in output order.
    @discardableResult
    public func run(emit: ([TailEntry]) -> Void) async throws -> Int {
        let consumer = try KafkaConsumer(configuration: options.readerConfiguration, logger: logger)
        let metadata = try await consumer.topics()
        let topics = try TailTarget.resolve(options.target, prefix: options.prefix, format: options.format, among: metadata.map(\.name))
        let partitions = metadata.filter { topics.contains($0.name) }.flatMap { topic in
            topic.partitions.map { TopicPartition(topic: topic.name, partition: $0) }
        }
        let plan = try await StartOffsets.make(for: partitions, position: options.position, consumer: consumer)
        try await consumer.assign(plan.starts.map { TopicPartitionOffset($0.key, offset: $0.value) })
        logger.debug("tailing", metadata: ["topics": "\(topics)", "starts": "\(plan.starts)", "ends": "\(plan.ends)"])
        var loop = TailLoop(options: options, starts: plan.starts, ends: plan.ends)
        let emitted = try await loop.run(consumer: consumer, emit: emit)
        // Nothing is stored or committed, so closing can only fail harmlessly; the output is already written.
        try? await consumer.close()
        return emitted
    }
}
