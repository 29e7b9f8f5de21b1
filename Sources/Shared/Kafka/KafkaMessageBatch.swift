import CRdKafka

/// Messages whose keys and values lie back to back in one buffer: one allocation for a whole batch instead of two
/// arrays per message, which matters when a snapshot or a busy stream produces a million of them. Messages come in
/// runs of one topic (a snapshot batch is one run; a stream batch changes topic where the tables change); a message
/// may be a tombstone (key, null value), which may carry one header, and any message may carry headers of its own
/// (Debezium's on a key change). The partitioner picks partitions by key.
public final class KafkaMessageBatch: @unchecked Sendable {
    // @unchecked: the buffer is written only by the builder and never changes once the batch exists.
    private let storage: ByteSink
    /// Where each message ends: its key is `[previous valueEnd, keyEnd)`, its value `[keyEnd, valueEnd)` (for a
    /// tombstone with a header, that header's value).
    private let spans: [Span]
    /// Consecutive messages of one topic, in order.
    let topicRuns: [TopicRun]

    struct Span {
        var keyEnd: Int
        var valueEnd: Int
        var isTombstone: Bool
        /// A tombstone's header name; nil for other messages and for a tombstone without one.
        var headerName: String?
        /// Headers of a message with a value (rare: kept beside the buffer).
        var headers: [KafkaHeader] = []
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

    /// A run split where a message has a header: `rd_kafka_produce_batch` cannot send headers, so such a message
    /// goes alone, in its place between the parts before and after it.
    enum RunPart: Equatable {
        case plain(Range<Int>)
        case withHeaders(index: Int)
    }

    func parts(of run: TopicRun) -> [RunPart] {
        var parts: [RunPart] = []
        var plainStart = run.messages.lowerBound
        for index in run.messages {
            guard spans[index].headerName != nil || !spans[index].headers.isEmpty else { continue }
            if plainStart < index { parts.append(.plain(plainStart..<index)) }
            parts.append(.withHeaders(index: index))
            plainStart = index + 1
        }
        if plainStart < run.messages.upperBound { parts.append(.plain(plainStart..<run.messages.upperBound)) }
        return parts
    }

    /// The message at `index` (one with headers) as a message of its own, with ticket `ticket`.
    func outgoingMessage(at index: Int, topic: String, ticket: UInt64) -> KafkaOutgoingMessage {
        let span = spans[index]
        let key = Array(storage.bytes(in: (index == 0 ? 0 : spans[index - 1].valueEnd)..<span.keyEnd))
        let rest = Array(storage.bytes(in: span.keyEnd..<span.valueEnd))
        guard span.isTombstone else {
            return KafkaOutgoingMessage(topic: topic, key: key, value: rest, headers: span.headers, ticket: ticket)
        }
        return KafkaOutgoingMessage(
            topic: topic, key: key, value: nil, headers: span.headerName.map { [KafkaHeader(name: $0, value: rest)] } ?? [],
            ticket: ticket)
    }

    /// Calls `body` with the `messages` (indices into the batch) as librdkafka's `rd_kafka_message_t` array (key,
    /// value and, as the opaque, ticket `firstTicket + index`); the pointers are valid only during the call.
    func withMessageArray<Result>(
        of range: Range<Int>, firstTicket: UInt64, _ body: (UnsafeMutableBufferPointer<rd_kafka_message_t>) throws -> Result
    ) rethrows -> Result {
        try withUnsafeTemporaryAllocation(of: rd_kafka_message_t.self, capacity: range.count) { messages in
            messages.initialize(repeating: rd_kafka_message_t())
            var start = range.lowerBound == 0 ? 0 : spans[range.lowerBound - 1].valueEnd
            for (slot, index) in range.enumerated() {
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

    /// Calls `body(topic, key, value, header)` for each message in order (value nil for a tombstone; header nil
    /// unless the message has one — a message with several gives its first); the buffers are valid only during
    /// the call.
    package func forEachMessage(
        _ body: (String, UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>?, KafkaHeader?) throws -> Void
    ) rethrows {
        for run in topicRuns {
            var start = run.messages.lowerBound == 0 ? 0 : spans[run.messages.lowerBound - 1].valueEnd
            for span in spans[run.messages] {
                let rest = storage.bytes(in: span.keyEnd..<span.valueEnd)
                try body(
                    run.topic, storage.bytes(in: start..<span.keyEnd), span.isTombstone ? nil : rest,
                    span.headerName.map { KafkaHeader(name: $0, value: Array(rest)) } ?? span.headers.first)
                start = span.valueEnd
            }
        }
    }
}

/// Builds a `KafkaMessageBatch`: name the topic with `use(topic:)`, write a message's key to `bytes`, call `endKey`,
/// write its value and call `endMessage` (or, for a tombstone, write its header's value and call `endTombstone`).
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

    package mutating func endMessage(headers: [KafkaHeader] = []) {
        spans.append(KafkaMessageBatch.Span(keyEnd: keyEnd, valueEnd: bytes.count, isTombstone: false, headers: headers))
    }

    /// A message with a null value and header `headerName` (if any): the bytes before `endKey` are its key, those
    /// after it the header's value.
    package mutating func endTombstone(headerName: String?) {
        spans.append(
            KafkaMessageBatch.Span(keyEnd: keyEnd, valueEnd: bytes.count, isTombstone: true, headerName: headerName))
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
