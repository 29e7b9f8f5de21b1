import NIOCore
import Shared

/// The polling loop of one tail: tracks how far each partition is read, merges by timestamp, filters, stops at
/// the end (without `follow`) or at the limit, and pauses partitions that run far ahead of the merge.
struct TailLoop {
    let options: TailOptions
    private var ends: EndOffsets
    private var merge: TimestampMerge<TailEntry>
    private var paused: Set<TopicPartition> = []
    private var emitted = 0
    private var decoder: ChangeMessageDecoder

    /// A partition that runs this far ahead of the merge is paused until the others catch up (bounded memory).
    static let pauseAbove = 1000
    static let resumeBelow = 100
    /// After every partition reached its end, what arrives within this window is still shown: tansu (the test
    /// broker) reports a high watermark below the real end, so the rest of the newest batch comes just after.
    static let drainAfterEnd: Duration = .seconds(1)

    init(options: TailOptions, starts: [TopicPartition: Int64], ends: [TopicPartition: Int64]) {
        self.options = options
        decoder = ChangeMessageDecoder(format: options.format)
        self.ends = EndOffsets(starts: starts, ends: ends)
        merge = TimestampMerge(partitions: starts.keys)
        for partition in self.ends.reached { merge.settle(partition) }
    }

    private var limitReached: Bool { options.limit.map { emitted >= $0 } ?? false }

    mutating func run(consumer: KafkaConsumer, emit: ([TailEntry]) -> Void) async throws -> Int {
        var lastMessageAt = ContinuousClock.now
        var drainUntil: ContinuousClock.Instant?
        while !limitReached {
            if !options.follow, ends.allReached {
                let deadline = drainUntil ?? .now.advanced(by: Self.drainAfterEnd)
                drainUntil = deadline
                if ContinuousClock.now >= deadline { break }
            }
            let messages = try await consumer.poll(timeout: ends.allReached ? .milliseconds(250) : .milliseconds(500))
            if messages.isEmpty {
                if !options.follow, ends.allReached { break }
                if ContinuousClock.now - lastMessageAt >= options.idleLimit {
                    if !options.follow { break }
                    ends.giveUp()
                    merge.settleAll()
                }
            } else {
                lastMessageAt = .now
            }
            for message in messages { take(message) }
            release(merge.releaseReady(), emit: emit)
            try await applyBackPressure(consumer)
        }
        release(merge.releaseAll(), emit: emit)
        return emitted
    }

    private mutating func take(_ message: KafkaMessage) {
        let partition = message.topicPartition
        if ends.read(partition, offset: message.offset) { merge.settle(partition) }
        let entry = TailEntry(
            decoding: TailMessage(
                topic: message.topic, partition: message.partition, offset: message.offset,
                timestampMs: message.timestampMs, key: message.key.map { Array($0.readableBytesView) },
                value: message.value.map { Array($0.readableBytesView) }, headers: message.headers),
            using: &decoder)
        if options.filter.matches(entry) { merge.add(entry, partition: partition, timestampMs: message.timestampMs) }
    }

    /// Hands over a batch at once (one write per poll, not per record), cut at the limit.
    private mutating func release(_ entries: [TailEntry], emit: ([TailEntry]) -> Void) {
        let batch = entries.prefix(options.limit.map { max(0, $0 - emitted) } ?? entries.count)
        guard !batch.isEmpty else { return }
        emit(Array(batch))
        emitted += batch.count
    }

    private mutating func applyBackPressure(_ consumer: KafkaConsumer) async throws {
        let toPause = merge.bufferedPartitions.filter { !paused.contains($0) && merge.bufferedCount($0) > Self.pauseAbove }
        let toResume = paused.filter { merge.bufferedCount($0) < Self.resumeBelow }
        if !toPause.isEmpty {
            try await consumer.pause(toPause)
            paused.formUnion(toPause)
        }
        if !toResume.isEmpty {
            try await consumer.resume(Array(toResume))
            paused.subtract(toResume)
        }
    }
}
