import CRdKafka

/// Messages for one topic whose keys and values lie back to back in one buffer: one allocation for a whole batch
/// instead of two arrays per message, which matters when a snapshot produces a million of them.
/// Every message has a key and a value (no tombstones); the partitioner picks partitions by key.
public final class KafkaMessageBatch: @unchecked Sendable {
    // @unchecked: the buffer is written only by the builder and never changes once the batch exists.
    public let topic: String
    private let storage: ByteSink
    /// Where each message ends: its key is `[previous valueEnd, keyEnd)`, its value `[keyEnd, valueEnd)`.
    private let spans: [Span]

    struct Span {
        var keyEnd: Int
        var valueEnd: Int
    }

    fileprivate init(topic: String, storage: consuming ByteSink, spans: [Span]) {
        self.topic = topic
        self.storage = storage
        self.spans = spans
    }

    public var count: Int { spans.count }

    /// Calls `body` with the messages as librdkafka's `rd_kafka_message_t` array (key, value and, as the opaque,
    /// ticket `firstTicket + index`); the pointers are valid only during the call.
    func withMessageArray<Result>(
        firstTicket: UInt64, _ body: (UnsafeMutableBufferPointer<rd_kafka_message_t>) throws -> Result
    ) rethrows -> Result {
        try withUnsafeTemporaryAllocation(of: rd_kafka_message_t.self, capacity: spans.count) { messages in
            messages.initialize(repeating: rd_kafka_message_t())
            var start = 0
            for (index, span) in spans.enumerated() {
                let key = storage.bytes(in: start..<span.keyEnd)
                let value = storage.bytes(in: span.keyEnd..<span.valueEnd)
                messages[index].key = UnsafeMutableRawPointer(mutating: key.baseAddress)
                messages[index].key_len = key.count
                messages[index].payload = UnsafeMutableRawPointer(mutating: value.baseAddress)
                messages[index].len = value.count
                messages[index]._private = UnsafeMutableRawPointer(bitPattern: UInt(firstTicket + UInt64(index)))
                start = span.valueEnd
            }
            return try body(messages)
        }
    }

    /// Calls `body(index, key, value)` for each message in order; the buffers are valid only during the call.
    package func forEachMessage(
        _ body: (Int, UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) throws -> Void
    ) rethrows {
        var start = 0
        for (index, span) in spans.enumerated() {
            try body(index, storage.bytes(in: start..<span.keyEnd), storage.bytes(in: span.keyEnd..<span.valueEnd))
            start = span.valueEnd
        }
    }
}

/// Builds a `KafkaMessageBatch`: write a message's key to `bytes`, call `endKey`, write its value, call `endMessage`.
package struct KafkaMessageBatchBuilder: ~Copyable {
    package var bytes: ByteSink
    private var spans: [KafkaMessageBatch.Span] = []
    private var keyEnd = 0

    package init(capacity: Int, messages: Int) {
        bytes = ByteSink(capacity: capacity)
        spans.reserveCapacity(messages)
    }

    /// The bytes written since the previous message form this message's key; what follows is its value.
    package mutating func endKey() {
        keyEnd = bytes.count
    }

    package mutating func endMessage() {
        spans.append(KafkaMessageBatch.Span(keyEnd: keyEnd, valueEnd: bytes.count))
    }

    package consuming func build(topic: String) -> KafkaMessageBatch {
        KafkaMessageBatch(topic: topic, storage: bytes, spans: spans)
    }
}
