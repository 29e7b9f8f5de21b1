import Shared

/// A Kafka message as tail sees it: where it sits in the log, its timestamp, and its raw bytes.
public struct TailMessage: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// Kafka message timestamp (ms since the epoch); nil when the broker gave none.
    public var timestampMs: Int64?
    public var key: [UInt8]?
    /// nil for a tombstone.
    public var value: [UInt8]?

    public init(topic: String, partition: Int32, offset: Int64, timestampMs: Int64?, key: [UInt8]?, value: [UInt8]?) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestampMs = timestampMs
        self.key = key
        self.value = value
    }

    public var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }

    /// `loanapp.dbo.Payments[0]@17`
    public var position: String { "\(topic)[\(partition)]@\(offset)" }
}

/// A message decoded as far as it goes: a change record, a tombstone, or bytes that are not a ferry record
/// (foreign producers, corruption), which tail shows raw instead of failing.
public struct TailEntry: Sendable, Hashable {
    public enum Content: Sendable, Hashable {
        case change(ChangeRecord)
        case tombstone
        /// Capture's control record: a table's snapshot of a new generation is complete (docs/design.md,
        /// "Control records").
        case control(GenerationSnapshotMarker)
        /// Why the message is not a change record.
        case unreadable(reason: String)
    }

    public var message: TailMessage
    public var content: Content
    /// The message key and value as JSON, when they are JSON (shown and emitted as parsed: exact numbers, compact).
    public var keyJSON: JSONValue?
    public var valueJSON: JSONValue?

    public init(decoding message: TailMessage) {
        self.message = message
        keyJSON = message.key.flatMap { try? JSONParser.parse($0) }
        guard let value = message.value else {
            valueJSON = nil
            content = message.key == nil ? .unreadable(reason: "neither key nor value") : .tombstone
            return
        }
        do throws(JSONParseError) {
            valueJSON = try JSONParser.parse(value)
        } catch {
            valueJSON = nil
            content = .unreadable(reason: "value: \(error)")
            return
        }
        if let marker = GenerationSnapshotMarker(value: value) {
            content = .control(marker)
            return
        }
        do throws(ChangeRecordDecodingError) {
            content = .change(try ChangeRecordCodec.decodeValue(value))
        } catch {
            content = .unreadable(reason: "not a ferry change record: \(error)")
        }
    }

    public var record: ChangeRecord? {
        if case .change(let record) = content { return record }
        return nil
    }

    /// The row key: the record's own, else the message key (tombstones, unreadable values).
    public var key: JSONObject? {
        if let record { return record.key }
        if case .object(let object)? = keyJSON { return object }
        return nil
    }
}
