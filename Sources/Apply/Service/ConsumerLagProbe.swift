import Shared

/// How far the group is behind on the partitions this member holds: the broker's high watermark minus the group's
/// committed offset. Measured at most once per `interval`, so it costs a few metadata requests now and then, not
/// per batch.
struct ConsumerLagProbe {
    let interval: Duration
    private var lastMeasured: ContinuousClock.Instant?

    init(interval: Duration = .seconds(10)) {
        self.interval = interval
    }

    /// The lag per assigned partition, or nil when the last measurement is recent (or the broker did not answer).
    mutating func measure(_ consumer: KafkaConsumer) async -> [TopicPartition: Int64]? {
        let now = ContinuousClock.now
        if let lastMeasured, lastMeasured.advanced(by: interval) > now { return nil }
        lastMeasured = now
        guard let assigned = try? await consumer.assignment(), !assigned.isEmpty,
            let committed = try? await consumer.committed(assigned, timeout: .seconds(2))
        else { return nil }
        var lag: [TopicPartition: Int64] = [:]
        for position in committed {
            guard let marks = try? await consumer.watermarks(position.topicPartition, timeout: .seconds(2)) else { continue }
            // No commit yet: everything retained is still to do.
            let done = position.offset >= 0 ? position.offset : marks.low
            lag[position.topicPartition] = max(0, marks.high - done)
        }
        return lag
    }
}
