import Shared

/// Where a record was read: identifies the message a write came from, to dead-letter it if DynamoDB refuses it.
public struct MessageOrigin: Sendable, Hashable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32
    public var offset: Int64

    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }

    init(_ message: KafkaMessage) {
        self.init(topic: message.topic, partition: message.partition, offset: message.offset)
    }

    public var description: String { "\(topic)[\(partition)]@\(offset)" }
}
