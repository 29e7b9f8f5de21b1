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
    /// Which of the error behaviour's classes the reason falls into (`RecordErrorBehavior`).
    var kind = RecordErrorBehavior.Kind.data

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

    /// The reason header keeps at most this many bytes of the reason (cut at a character boundary), so that a
    /// dead letter is never more than `headerRoom` larger than its record.
    static let maximumReasonBytes = 4096
    /// What a dead letter adds to its record: the headers (the reason capped, a topic name is at most 249
    /// bytes) and the record overhead, with room to spare.
    static let headerRoom = 8192

    public var headers: [KafkaHeader] {
        [
            KafkaHeader(name: Self.reasonHeader, string: Self.capped(reason)),
            KafkaHeader(name: Self.topicHeader, string: topic),
            KafkaHeader(name: Self.partitionHeader, string: String(partition)),
            KafkaHeader(name: Self.offsetHeader, string: String(offset)),
        ]
    }

    /// Key, value and header bytes: about what the dead letter weighs against `message.max.bytes`.
    var size: Int {
        (key?.count ?? 0) + (value?.count ?? 0) + headers.reduce(0) { $0 + $1.name.utf8.count + ($1.value?.count ?? 0) }
    }

    private static func capped(_ reason: String) -> String {
        guard reason.utf8.count > maximumReasonBytes else { return reason }
        var bytes = 0
        let kept = reason.prefix { character in
            bytes += character.utf8.count
            return bytes <= maximumReasonBytes - 3
        }
        return kept + "..."
    }

    func message(to deadLetterTopic: String) -> KafkaOutgoingMessage {
        KafkaOutgoingMessage(topic: deadLetterTopic, key: key, value: value, headers: headers)
    }
}
