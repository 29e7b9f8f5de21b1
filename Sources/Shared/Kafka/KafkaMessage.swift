import NIOCore

/// A topic's partition.
public struct TopicPartition: Hashable, Sendable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public var description: String { "\(topic)[\(partition)]" }
}

/// A partition and an offset: the next offset to read when committing, or a position to seek to.
public struct TopicPartitionOffset: Hashable, Sendable, CustomStringConvertible {
    public var topicPartition: TopicPartition
    public var offset: Int64

    public init(_ topicPartition: TopicPartition, offset: Int64) {
        self.topicPartition = topicPartition
        self.offset = offset
    }

    public init(topic: String, partition: Int32, offset: Int64) {
        self.init(TopicPartition(topic: topic, partition: partition), offset: offset)
    }

    public var description: String { "\(topicPartition)@\(offset)" }

    /// librdkafka's logical offsets.
    public static let beginning: Int64 = -2
    public static let end: Int64 = -1
    public static let stored: Int64 = -1000
}

public struct KafkaHeader: Hashable, Sendable {
    public var name: String
    public var value: [UInt8]?

    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }

    public init(name: String, string: String) {
        self.init(name: name, value: Array(string.utf8))
    }
}

/// A record read from Kafka.
public struct KafkaMessage: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// Key and value share one buffer per polled batch (slices, no copy per message).
    public var key: ByteBuffer?
    /// nil for a tombstone.
    public var value: ByteBuffer?
    /// Milliseconds since the epoch (create or log-append time); nil when the broker gave none.
    public var timestampMs: Int64?
    public var headers: [KafkaHeader]

    public var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }
    /// The offset to commit once this message is processed: the next one to read.
    public var nextOffset: TopicPartitionOffset { TopicPartitionOffset(topicPartition, offset: offset + 1) }
}

/// A record to produce. `ticket` comes back in its delivery report, so the caller knows exactly what is durable.
public struct KafkaOutgoingMessage: Sendable {
    public var topic: String
    /// nil lets the partitioner choose (by key hash).
    public var partition: Int32?
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [KafkaHeader]
    public var ticket: UInt64

    public init(
        topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader] = [],
        ticket: UInt64 = 0
    ) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
        self.ticket = ticket
    }
}

/// The broker's answer for one produced message: its offset, or the error after librdkafka gave up retrying.
public struct KafkaDeliveryReport: Sendable {
    public var ticket: UInt64
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var error: KafkaError?
}
