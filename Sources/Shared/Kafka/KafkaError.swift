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
        /// Authentication failed, or (SASL/OAUTHBEARER) no token could be made.
        public static let authentication = Code(rawValue: RD_KAFKA_RESP_ERR__AUTHENTICATION.rawValue)
        /// A client-side transport failure: brokers unreachable for now.
        public static let transport = Code(rawValue: RD_KAFKA_RESP_ERR__TRANSPORT.rawValue)
        /// A record over the producer's `message.max.bytes` (at produce time) or the topic's `max.message.bytes`
        /// (the broker's answer, `MESSAGE_TOO_LARGE`, or `RECORD_LIST_TOO_LARGE` for a batch).
        public static let recordTooLarge: Set<Code> = [
            Code(rawValue: RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE.rawValue),
            Code(rawValue: RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE.rawValue),
        ]
        /// Denied by the cluster's ACLs or its authentication: a retry cannot change that.
        public static let notPermitted: Set<Code> = [
            Code(rawValue: RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED.rawValue),
            Code(rawValue: RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED.rawValue),
            Code(rawValue: RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED.rawValue),
            Code(rawValue: RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED.rawValue),
            Code(rawValue: RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED.rawValue),
            Code(rawValue: RD_KAFKA_RESP_ERR_UNSUPPORTED_SASL_MECHANISM.rawValue),
            authentication,
        ]
        /// Other answers a retry cannot change: a fatal client error (e.g. the idempotent producer's sequence broken),
        /// a setting or record the broker refuses.
        public static let otherPermanent: Set<Code> = [
            Code(rawValue: RD_KAFKA_RESP_ERR__FATAL.rawValue),
            Code(rawValue: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue),
            Code(rawValue: RD_KAFKA_RESP_ERR_INVALID_REQUIRED_ACKS.rawValue),
            Code(rawValue: RD_KAFKA_RESP_ERR_INVALID_RECORD.rawValue),
            Code(rawValue: RD_KAFKA_RESP_ERR_UNSUPPORTED_FOR_MESSAGE_FORMAT.rawValue),
            Code(rawValue: RD_KAFKA_RESP_ERR_UNSUPPORTED_COMPRESSION_TYPE.rawValue),
            Code(rawValue: RD_KAFKA_RESP_ERR_INVALID_CONFIG.rawValue),
            // A topic the broker will not create as asked: an invalid name, partition count or replication factor,
            // or one its creation policy forbids.
            Code(rawValue: RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION.rawValue),
            Code(rawValue: RD_KAFKA_RESP_ERR_INVALID_PARTITIONS.rawValue),
            Code(rawValue: RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR.rawValue),
            Code(rawValue: RD_KAFKA_RESP_ERR_POLICY_VIOLATION.rawValue),
            // A consumer group the broker will not let this member join as configured: another assignment
            // strategy than its members', an invalid group id or session timeout, a group already at the broker's
            // group.max.size.
            Code(rawValue: RD_KAFKA_RESP_ERR_INCONSISTENT_GROUP_PROTOCOL.rawValue),
            Code(rawValue: RD_KAFKA_RESP_ERR_INVALID_GROUP_ID.rawValue),
            Code(rawValue: RD_KAFKA_RESP_ERR_INVALID_SESSION_TIMEOUT.rawValue),
            Code(rawValue: RD_KAFKA_RESP_ERR_GROUP_MAX_SIZE_REACHED.rawValue),
            // No committed offset, or one out of range, and auto.offset.reset=error: librdkafka will not move the
            // position, so the partition stays unread until an operator sets it (`ferry replay`).
            Code(rawValue: RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET.rawValue),
        ]
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
    /// The record it is about, for a failed produce or delivery.
    public var record: KafkaRecordReference?
    /// Set when librdkafka said so (`rd_kafka_error_is_fatal`, `rd_kafka_error_is_retriable`); nil when the error
    /// came as a bare code.
    public var isFatal: Bool?
    public var isRetriable: Bool?

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
        isFatal = rd_kafka_error_is_fatal(error) != 0
        isRetriable = rd_kafka_error_is_retriable(error) != 0
        rd_kafka_error_destroy(error)
    }

    /// A broker refused the client's SASL authentication (`reason`, librdkafka's, names the broker): wrong
    /// credentials, an unknown user, or a mechanism its listener does not offer. Says what to check; never a secret
    /// (librdkafka's reasons carry none).
    static func authenticationRefused(reason: String, mechanism: String) -> KafkaError {
        KafkaError(
            code: .authentication,
            message: reason + ". Check the credentials (-X sasl.username and sasl.password, or "
                + "FERRY_KAFKA_PROPERTIES_FILE) and that the brokers' listener accepts sasl.mechanism=\(mechanism) for "
                + "that user, then start again",
            context: "authenticating to Kafka with SASL \(mechanism)")
    }

    /// Whether a later attempt may succeed — what capture and apply retry, and the rest stops them: librdkafka's
    /// verdict where it gives one (fatal), else by code: a record too large, a denied permission or failed
    /// authentication, an invalid setting and the other permanent codes cannot; the rest (timeouts, brokers down,
    /// leaders moving) is what librdkafka gave up retrying for now.
    public var mayHeal: Bool {
        if isFatal == true { return false }
        return !Code.recordTooLarge.contains(code) && !Code.notPermitted.contains(code)
            && !Code.otherPermanent.contains(code)
    }

    public var description: String {
        let prefix = context.map { "Kafka error while \($0): " } ?? "Kafka error: "
        let about = record.map { " (the record with key \($0.keyDescription), \($0.size) bytes)" } ?? ""
        return prefix + "\(message) (\(code.name))" + about
    }
}

/// The record a produce or delivery error is about: its topic, key and size.
public struct KafkaRecordReference: Sendable, Hashable {
    public var topic: String
    public var key: [UInt8]?
    /// Key and value bytes.
    public var size: Int

    public init(topic: String, key: [UInt8]?, size: Int = 0) {
        self.topic = topic
        self.key = key
        self.size = size
    }

    init(topic: String, message: rd_kafka_message_t) {
        let key = message.key.map { Array(UnsafeRawBufferPointer(start: $0, count: message.key_len)) }
        self.init(topic: topic, key: key, size: message.key_len + message.len)
    }

    /// The key as text (Ferry's keys are JSON), cut short when long.
    public var keyDescription: String {
        guard let key else { return "null" }
        let text = String(decoding: key.prefix(200), as: UTF8.self)
        return key.count > 200 ? text + "…" : text
    }
}
