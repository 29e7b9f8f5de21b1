import CRdKafka

/// A librdkafka error with its code and message, and where it happened.
public struct KafkaError: Error, CustomStringConvertible, Sendable {
    public struct Code: RawRepresentable, Hashable, Sendable {
        public var rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        init(_ code: rd_kafka_resp_err_t) { rawValue = code.rawValue }

        public static let invalidConfiguration = Code(rawValue: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue)
        public static let timedOut = Code(rawValue: RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue)
        public static let queueFull = Code(rawValue: RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue)
        public static let topicAlreadyExists = Code(rawValue: RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS.rawValue)
        public static let noOffset = Code(rawValue: RD_KAFKA_RESP_ERR__NO_OFFSET.rawValue)
        public static let fatal = Code(rawValue: RD_KAFKA_RESP_ERR__FATAL.rawValue)
        public static let unknownTopicOrPartition = Code(rawValue: RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART.rawValue)
        public static let shuttingDown = Code(rawValue: RD_KAFKA_RESP_ERR__DESTROY.rawValue)
        /// A message over the producer's `message.max.bytes` (refused locally) or the topic's `max.message.bytes`.
        public static let messageTooLarge = Code(rawValue: RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE.rawValue)
        /// The broker refuses to change a consumer group's offsets while it has members (Kafka answers one of these,
        /// depending on version and protocol).
        public static let groupHasMembers: Set<Code> = [
            Code(rawValue: RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID.rawValue),
            Code(rawValue: RD_KAFKA_RESP_ERR_NON_EMPTY_GROUP.rawValue),
            Code(rawValue: RD_KAFKA_RESP_ERR_GROUP_SUBSCRIBED_TO_TOPIC.rawValue),
            Code(rawValue: RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS.rawValue),
        ]

        /// librdkafka's symbolic name, e.g. `_TIMED_OUT` or `TOPIC_ALREADY_EXISTS`.
        public var name: String { String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: rawValue))) }
    }

    public var code: Code
    public var message: String
    /// What we were doing, e.g. "creating topic ferry.public.orders".
    public var context: String?

    public init(code: Code, message: String, context: String? = nil) {
        self.code = code
        self.message = message
        self.context = context
    }

    init(_ code: rd_kafka_resp_err_t, context: String? = nil) {
        self.init(code: Code(code), message: String(cString: rd_kafka_err2str(code)), context: context)
    }

    /// Takes ownership of an `rd_kafka_error_t` (and destroys it).
    init(consuming error: OpaquePointer, context: String? = nil) {
        self.init(
            code: Code(rd_kafka_error_code(error)), message: String(cString: rd_kafka_error_string(error)),
            context: context)
        rd_kafka_error_destroy(error)
    }

    public var description: String {
        let prefix = context.map { "Kafka error while \($0): " } ?? "Kafka error: "
        return prefix + "\(message) (\(code.name))"
    }
}
