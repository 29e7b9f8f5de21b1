import Logging
import ServiceLifecycle
import Shared

/// The consume loop of `ferry apply`: poll, prepare, write, store and commit, until shutdown.
///
/// Batches are written one after the other (per-key order), but the next batch is polled and prepared — decoded
/// and mapped, the CPU-heavy part — while the current one's writes are in flight. Messages polled while a long
/// batch kept the membership (`KafkaConsumer.keepingMembership`) go first into the next batch.
struct ApplyLoop {
    let consumer: KafkaConsumer
    let batches: BatchRunner
    let options: ApplyOptions
    let statistics: ApplyStatistics
    let logger: Logger

    /// The current batch's offsets (nil: abandoned at shutdown) and the next batch, prepared meanwhile.
    private struct Written: Sendable {
        var offsets: [TopicPartitionOffset]?
        var next: Result<BatchPlan?, any Error>
    }

    func run() async throws {
        let lagProbe = try ConsumerLagProbe(configuration: options.consumerConfiguration, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await lagProbe.run(assignment: { try await consumer.assignment() }) { statistics.consumerLag($0) }
            }
            group.addTask { await ApplyProgress(statistics: statistics, options: options, logger: logger).run() }
            defer { group.cancelAll() }
            try await consume()
        }
    }

    private func consume() async throws {
        var upcoming: BatchPlan?
        var carried: [KafkaMessage] = []
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let plan: BatchPlan
            if let prepared = upcoming {
                plan = prepared
                upcoming = nil
            } else {
                let messages = try await poll(after: carried, waiting: carried.isEmpty)
                guard !messages.isEmpty else { continue }
                // Preparing waits out a DynamoDB outage when mapping needs the table (DescribeTable).
                let preparing = try await consumer.keepingMembership(pollInterval: options.membershipPollInterval) {
                    try await batches.prepare(messages)
                }
                carried = preparing.polled
                guard let prepared = preparing.value else { break }
                plan = prepared
            }
            let earlier = carried
            let batch = try await consumer.keepingMembership(pollInterval: options.membershipPollInterval) {
                async let next = prepareNext(after: earlier)
                let offsets = try await batches.execute(plan)
                return Written(offsets: offsets, next: await next)
            }
            carried = batch.polled
            guard let offsets = batch.value.offsets else { break }
            try await consumer.store(offsets)
            try await consumer.requestCommit()
            statistics.failing(nil)
            // A failure preparing the next batch surfaces only now that this one is committed.
            upcoming = try batch.value.next.get()
        }
    }

    /// `earlier` (messages already polled) followed by what the consumer has, waiting up to half a second for a
    /// first message if `waiting`.
    private func poll(after earlier: [KafkaMessage], waiting: Bool) async throws -> [KafkaMessage] {
        earlier + (try await consumer.poll(maxMessages: options.maxBatchSize, timeout: waiting ? .milliseconds(500) : .zero))
    }

    /// The next batch from what is buffered now, prepared; nil when there is nothing yet (or shutdown came).
    private func prepareNext(after earlier: [KafkaMessage]) async -> Result<BatchPlan?, any Error> {
        do {
            let messages = try await poll(after: earlier, waiting: false)
            return .success(messages.isEmpty ? nil : try await batches.prepare(messages))
        } catch {
            return .failure(error)
        }
    }
}
