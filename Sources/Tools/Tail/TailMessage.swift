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
    /// Ferry's `ferry.control` and `ferry.delete` say what a message is; Debezium's `__debezium.*` are shown only.
    public var headers: [KafkaHeader]

    public init(
        topic: String, partition: Int32, offset: Int64, timestampMs: Int64?, key: [UInt8]?, value: [UInt8]?,
        headers: [KafkaHeader] = []
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestampMs = timestampMs
        self.key = key
        self.value = value
        self.headers = headers
    }

    public var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }

    /// `loanapp.dbo.Payments[0]@17`
    public var position: String { "\(topic)[\(partition)]@\(offset)" }
}

/// A message decoded as far as it goes: a change record, a tombstone, or bytes that are not a change record of
/// the input format (foreign producers, corruption), which tail shows raw instead of failing. Decoded by
/// `ChangeMessageDecoder`, as apply decodes it.
public struct TailEntry: Sendable, Hashable {
    public enum Content: Sendable, Hashable {
        case change(ChangeRecord)
        /// A null value: the row with `key` was deleted (the key as its format's decoder reads it).
        case tombstone(key: JSONObject)
        /// Capture's control record: a table's snapshot of a new generation is complete (docs/design.md,
        /// "Control records").
        case control(GenerationSnapshotMarker)
        /// A Debezium logical decoding message (`op` `m`), which apply skips.
        case logicalMessage
        /// Why the message is not a change record.
        case unreadable(reason: String)
    }

    public var message: TailMessage
    public var content: Content
    /// The message key and value as JSON, when they are JSON (shown and emitted as parsed: exact numbers, compact).
    public var keyJSON: JSONValue?
    public var valueJSON: JSONValue?

    public init(decoding message: TailMessage, format: InputFormat = .ferry) {
        var decoder = ChangeMessageDecoder(format: format)
        self.init(decoding: message, using: &decoder)
    }

    public init(decoding message: TailMessage, using decoder: inout ChangeMessageDecoder) {
        self.message = message
        keyJSON = message.key.flatMap { try? JSONParser.parse($0) }
        guard let value = message.value else {
            valueJSON = nil
            content = Self.content(of: message, using: &decoder)
            return
        }
        do throws(JSONParseError) {
            valueJSON = try JSONParser.parse(value)
        } catch {
            valueJSON = nil
            content = .unreadable(reason: "value: \(error)")
            return
        }
        content = Self.content(of: message, using: &decoder)
    }

    private static func content(of message: TailMessage, using decoder: inout ChangeMessageDecoder) -> Content {
        if message.key == nil, message.value == nil { return .unreadable(reason: "neither key nor value") }
        do throws(ChangeRecordDecodingError) {
            switch try decoder.decode(key: message.key, value: message.value, headers: message.headers) {
            case .change(let record): return .change(record)
            case .tombstone(let key, _, _): return .tombstone(key: key)
            case .control(let marker?): return .control(marker)
            case .control(nil): return .unreadable(reason: "a control record of a kind this version does not know")
            case .logicalMessage: return .logicalMessage
            }
        } catch {
            return .unreadable(reason: "not a \(decoder.format == .debezium ? "Debezium" : "ferry") change record: \(error)")
        }
    }

    public var record: ChangeRecord? {
        if case .change(let record) = content { return record }
        return nil
    }

    /// The row key: the record's own or the tombstone's, else the message key (unreadable values).
    public var key: JSONObject? {
        if let record { return record.key }
        if case .tombstone(let key) = content { return key }
        if case .object(let object)? = keyJSON { return object }
        return nil
    }
}
