import Logging
import Shared

/// How far the group is behind on the partitions this member holds: the broker's high watermark minus the group's
/// committed offset, measured every `interval` in the background with a consumer handle of its own (it never
/// joins the group), so the round trips — seconds, on a slow broker — never stall the consume loop.
struct ConsumerLagProbe {
    let reader: KafkaConsumer
    let interval: Duration

    /// - Parameter configuration: the member's, for its group and brokers.
    init(configuration: KafkaConfiguration, logger: Logger, interval: Duration = .seconds(10)) throws {
        reader = try KafkaConsumer(configuration: configuration, logger: logger)
        self.interval = interval
    }

    /// Until cancelled: reads `assignment`, measures, and hands the lag to `report` (measurements the broker did
    /// not answer are skipped).
    func run(
        assignment: () async throws -> [TopicPartition], report: ([TopicPartition: Int64]) -> Void
    ) async {
        repeat {
            if let assigned = try? await assignment(), !assigned.isEmpty, let lag = await measure(assigned) {
                report(lag)
            }
        } while (try? await Task.sleep(for: interval)) != nil
        try? await reader.close()
    }

    private func measure(_ assigned: [TopicPartition]) async -> [TopicPartition: Int64]? {
        guard let committed = try? await reader.committed(assigned, timeout: .seconds(2)) else { return nil }
        var lag: [TopicPartition: Int64] = [:]
        for position in committed {
            guard let marks = try? await reader.watermarks(position.topicPartition, timeout: .seconds(2)) else { continue }
            // No commit yet: everything retained is still to do.
            let done = position.offset >= 0 ? position.offset : marks.low
            lag[position.topicPartition] = max(0, marks.high - done)
        }
        return lag
    }
}
