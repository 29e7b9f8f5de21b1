import Shared

/// A message that could not be applied, as written to `<prefix>.ferry.dlq`: the original key and value
/// bytes untouched, and headers saying why and where it came from, so it can be inspected and replayed.
public struct DeadLetter: Sendable, Hashable {
    public var reason: String
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]?
    public var value: [UInt8]?

    public init(reason: String, topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8]?) {
        self.reason = reason
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
    }

    public static let reasonHeader = "ferry.error"
    public static let topicHeader = "ferry.topic"
    public static let partitionHeader = "ferry.partition"
    public static let offsetHeader = "ferry.offset"

    public var headers: [KafkaHeader] {
        [
            KafkaHeader(name: Self.reasonHeader, string: reason),
            KafkaHeader(name: Self.topicHeader, string: topic),
            KafkaHeader(name: Self.partitionHeader, string: String(partition)),
            KafkaHeader(name: Self.offsetHeader, string: String(offset)),
        ]
    }

    func message(to deadLetterTopic: String) -> KafkaOutgoingMessage {
        KafkaOutgoingMessage(topic: deadLetterTopic, key: key, value: value, headers: headers)
    }
}
