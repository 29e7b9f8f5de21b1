import CRdKafka

/// Messages whose keys and values lie back to back in one buffer: one allocation for a whole batch instead of two
/// arrays per message, which matters when a snapshot or a busy stream produces a million of them. Messages come in
/// runs of one topic (a snapshot batch is one run; a stream batch changes topic where the tables change); a message
/// may be a tombstone (key, null value). The partitioner picks partitions by key.
public final class KafkaMessageBatch: @unchecked Sendable {
    // @unchecked: the buffer is written only by the builder and never changes once the batch exists.
    private let storage: ByteSink
    /// Where each message ends: its key is `[previous valueEnd, keyEnd)`, its value `[keyEnd, valueEnd)`.
    private let spans: [Span]
    /// Consecutive messages of one topic, in order.
    let topicRuns: [TopicRun]

    struct Span {
        var keyEnd: Int
        var valueEnd: Int
        var isTombstone: Bool
    }

    struct TopicRun {
        var topic: String
        var messages: Range<Int>
    }

    fileprivate init(storage: consuming ByteSink, spans: [Span], topicRuns: [TopicRun]) {
        self.storage = storage
        self.spans = spans
        self.topicRuns = topicRuns
    }

    public var count: Int { spans.count }

    /// Calls `body` with the messages of `run` as librdkafka's `rd_kafka_message_t` array (key, value and, as the
    /// opaque, ticket `firstTicket + index` where index counts from the batch's first message); the pointers are
    /// valid only during the call.
    func withMessageArray<Result>(
        of run: TopicRun, firstTicket: UInt64, _ body: (UnsafeMutableBufferPointer<rd_kafka_message_t>) throws -> Result
    ) rethrows -> Result {
        try withUnsafeTemporaryAllocation(of: rd_kafka_message_t.self, capacity: run.messages.count) { messages in
            messages.initialize(repeating: rd_kafka_message_t())
            var start = run.messages.lowerBound == 0 ? 0 : spans[run.messages.lowerBound - 1].valueEnd
            for (slot, index) in run.messages.enumerated() {
                let span = spans[index]
                let key = storage.bytes(in: start..<span.keyEnd)
                messages[slot].key = UnsafeMutableRawPointer(mutating: key.baseAddress)
                messages[slot].key_len = key.count
                if !span.isTombstone {
                    let value = storage.bytes(in: span.keyEnd..<span.valueEnd)
                    messages[slot].payload = UnsafeMutableRawPointer(mutating: value.baseAddress)
                    messages[slot].len = value.count
                }
                messages[slot]._private = UnsafeMutableRawPointer(bitPattern: UInt(firstTicket + UInt64(index)))
                start = span.valueEnd
            }
            return try body(messages)
        }
    }

    /// Calls `body(topic, key, value)` for each message in order (value nil for a tombstone); the buffers are valid
    /// only during the call.
    package func forEachMessage(
        _ body: (String, UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>?) throws -> Void
    ) rethrows {
        for run in topicRuns {
            var start = run.messages.lowerBound == 0 ? 0 : spans[run.messages.lowerBound - 1].valueEnd
            for span in spans[run.messages] {
                try body(
                    run.topic, storage.bytes(in: start..<span.keyEnd),
                    span.isTombstone ? nil : storage.bytes(in: span.keyEnd..<span.valueEnd))
                start = span.valueEnd
            }
        }
    }
}

/// Builds a `KafkaMessageBatch`: name the topic with `use(topic:)`, write a message's key to `bytes`, call `endKey`,
/// write its value and call `endMessage` (or call `endTombstone` right after the key).
package struct KafkaMessageBatchBuilder: ~Copyable {
    package var bytes: ByteSink
    private var spans: [KafkaMessageBatch.Span] = []
    private var topicRuns: [KafkaMessageBatch.TopicRun] = []
    private var keyEnd = 0

    package init(capacity: Int, messages: Int) {
        bytes = ByteSink(capacity: capacity)
        spans.reserveCapacity(messages)
    }

    package var count: Int { spans.count }

    /// The messages from here on go to `topic` (until another `use(topic:)` names a different one).
    package mutating func use(topic: String) {
        if let last = topicRuns.last, last.topic == topic { return }
        closeTopicRun()
        topicRuns.append(KafkaMessageBatch.TopicRun(topic: topic, messages: spans.count..<spans.count))
    }

    /// The bytes written since the previous message form this message's key; what follows is its value.
    package mutating func endKey() {
        keyEnd = bytes.count
    }

    package mutating func endMessage() {
        spans.append(KafkaMessageBatch.Span(keyEnd: keyEnd, valueEnd: bytes.count, isTombstone: false))
    }

    /// The bytes written since the previous message are the key of a message with a null value.
    package mutating func endTombstone() {
        spans.append(KafkaMessageBatch.Span(keyEnd: bytes.count, valueEnd: bytes.count, isTombstone: true))
    }

    package consuming func build() -> KafkaMessageBatch {
        closeTopicRun()
        return KafkaMessageBatch(storage: bytes, spans: spans, topicRuns: topicRuns)
    }

    private mutating func closeTopicRun() {
        guard !topicRuns.isEmpty else { return }
        topicRuns[topicRuns.count - 1].messages = topicRuns[topicRuns.count - 1].messages.lowerBound..<spans.count
    }
}
