import CRdKafka
import Testing

@testable import Shared

/// What librdkafka is handed for a batch: per run of one topic, the messages' keys, values and tickets.
@Suite("Kafka message batch")
struct KafkaMessageBatchTests {
    struct Handed: Equatable {
        /// Nil if librdkafka would get no key.
        var key: String?
        var value: String?
        var ticket: UInt
    }

    @Test func runsOfOneTopicCarryTheirMessagesTombstonesAndTickets() {
        // Starting small: the buffer grows while messages are written.
        var builder = KafkaMessageBatchBuilder(capacity: 16, messages: 2)
        Self.add(to: &builder, "a", key: #"{"id":1}"#, value: "create 1")
        Self.add(to: &builder, "a", key: #"{"id":1}"#, value: nil)
        Self.add(to: &builder, "b", key: "{}", value: "truncate b")
        Self.add(to: &builder, "b", key: #"{"id":2}"#, value: "")
        Self.add(to: &builder, "a", key: #"{"id":3}"#, value: "create 3")
        let batch = builder.build()

        #expect(batch.count == 5)
        #expect(batch.topicRuns.map(\.topic) == ["a", "b", "a"])
        #expect(batch.topicRuns.map(\.messages) == [0..<2, 2..<4, 4..<5])
        // The tombstone, carrying a header, goes alone (rd_kafka_produce_batch sends no headers), in its place.
        #expect(batch.parts(of: batch.topicRuns[0]) == [.plain(0..<1), .withHeaders(index: 1)])
        #expect(batch.parts(of: batch.topicRuns[1]) == [.plain(2..<4)])
        let tombstone = batch.outgoingMessage(at: 1, topic: "a", ticket: 101)
        #expect(tombstone.key == Array(#"{"id":1}"#.utf8) && tombstone.value == nil && tombstone.ticket == 101)
        #expect(tombstone.headers == [KafkaHeader(name: "ferry.delete", value: Array("delete 1".utf8))])
        var handed: [[Handed]] = []
        for run in batch.topicRuns {
            handed.append(
                batch.withMessageArray(of: run.messages, firstTicket: 100) { messages in
                    messages.map { message in
                        Handed(
                            key: message.key.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: message.key_len), as: UTF8.self) },
                            value: message.payload.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: message.len), as: UTF8.self) },
                            ticket: UInt(bitPattern: message._private))
                    }
                })
        }
        #expect(
            handed == [
                [
                    Handed(key: #"{"id":1}"#, value: "create 1", ticket: 100),
                    Handed(key: #"{"id":1}"#, value: nil, ticket: 101),
                ],
                [Handed(key: "{}", value: "truncate b", ticket: 102), Handed(key: #"{"id":2}"#, value: "", ticket: 103)],
                [Handed(key: #"{"id":3}"#, value: "create 3", ticket: 104)],
            ])
    }

    static func add(to builder: inout KafkaMessageBatchBuilder, _ topic: String, key: String, value: String?) {
        builder.use(topic: topic)
        Array(key.utf8).withUnsafeBufferPointer { builder.bytes.append($0) }
        builder.endKey()
        guard let value else {
            Array("delete 1".utf8).withUnsafeBufferPointer { builder.bytes.append($0) }
            return builder.endTombstone(headerName: "ferry.delete")
        }
        Array(value.utf8).withUnsafeBufferPointer { builder.bytes.append($0) }
        builder.endMessage()
    }
}
