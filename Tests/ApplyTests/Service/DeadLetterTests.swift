import Shared
import Testing

@testable import Apply

@Suite("Dead letters")
struct DeadLetterTests {
    @Test func headersNameTheReasonAndTheSource() {
        let letter = DeadLetter(
            reason: "item of 512000 bytes exceeds DynamoDB's 400 KB limit", topic: "p.public.orders", partition: 3,
            offset: 42, key: Array(#"{"id":1}"#.utf8), value: Array("not json".utf8))
        #expect(
            letter.headers == [
                KafkaHeader(name: "ferry.error", string: "item of 512000 bytes exceeds DynamoDB's 400 KB limit"),
                KafkaHeader(name: "ferry.topic", string: "p.public.orders"),
                KafkaHeader(name: "ferry.partition", string: "3"),
                KafkaHeader(name: "ferry.offset", string: "42"),
            ])
        let message = letter.message(to: "p.ferry.dlq")
        #expect(message.topic == "p.ferry.dlq")
        #expect(message.value == Array("not json".utf8))
        #expect(message.key == Array(#"{"id":1}"#.utf8))
    }

    /// A dead letter stays within `headerRoom` of its record: a long reason is cut, at a character boundary.
    @Test func aLongReasonIsCutSoTheHeadersFitTheirRoom() {
        let letter = DeadLetter(
            reason: String(repeating: "é", count: 5000), topic: "p.public.orders", partition: 0, offset: 7,
            key: [UInt8](repeating: 1, count: 10), value: [UInt8](repeating: 2, count: 1000))
        let reason = String(decoding: letter.headers[0].value ?? [], as: UTF8.self)
        #expect(reason.utf8.count <= DeadLetter.maximumReasonBytes && reason.hasSuffix("é..."))
        #expect(letter.size > 1010 + DeadLetter.maximumReasonBytes - 10 && letter.size <= 1010 + DeadLetter.headerRoom)
    }
}
