import CRdKafka

/// Owns one `rd_kafka_t` (producer or consumer) and destroys it in `deinit`.
/// Callers run blocking calls on it through their own `BlockingExecutor`; the pointer never leaves the Kafka binding.
final class RdKafkaClient: @unchecked Sendable {
    // @unchecked: librdkafka's handle is thread-safe for the calls we make from several threads
    // (produce, queue polls, metadata); per-call serialisation is done by the owners' executors.
    let pointer: OpaquePointer
    /// Kept alive as long as the handle: librdkafka calls back into it with the opaque pointer.
    private let callbackContext: RdKafkaCallbackContext?

    enum Kind { case producer, consumer }

    init(
        kind: Kind, configuration: KafkaConfiguration, events: Int32 = 0, callbackContext: RdKafkaCallbackContext? = nil,
        rebalanceCallback: (@convention(c) (
            OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
            UnsafeMutableRawPointer?
        ) -> Void)? = nil
    ) throws {
        let conf = try makeConf(configuration)
        if events != 0 { rd_kafka_conf_set_events(conf, events) }
        let tokenRefresher = configuration.oauthBearerTokenSource.map(KafkaTokenRefresher.init(source:))
        let callbackContext = callbackContext ?? tokenRefresher.map { _ in RdKafkaCallbackContext() }
        if let callbackContext {
            callbackContext.tokenRefresher = tokenRefresher
            rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(callbackContext).toOpaque())
        }
        if let rebalanceCallback { rd_kafka_conf_set_rebalance_cb(conf, rebalanceCallback) }
        if tokenRefresher != nil {
            rd_kafka_conf_set_oauthbearer_token_refresh_cb(conf, oauthBearerTokenRefreshCallback)
            // Token requests get a queue of their own, served on librdkafka's background thread (below): our
            // clients poll the main queue differently or, the admin client, not at all.
            rd_kafka_conf_enable_sasl_queue(conf, 1)
        }
        var errorText = RdKafkaErrorText()
        let handle = rd_kafka_new(kind == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER, conf, &errorText.storage, errorText.storage.count)
        guard let handle else {
            rd_kafka_conf_destroy(conf)  // rd_kafka_new takes ownership only on success
            throw KafkaError(code: .invalidConfiguration, message: errorText.text, context: "creating a client")
        }
        if let tokenRefresher {
            tokenRefresher.attach(handle)
            if let error = rd_kafka_sasl_background_callbacks_enable(handle) {
                tokenRefresher.detach()
                rd_kafka_destroy(handle)
                throw KafkaError(
                    consuming: error,
                    context: "serving SASL/OAUTHBEARER token requests (is sasl.mechanism OAUTHBEARER?)")
            }
        }
        pointer = handle
        self.callbackContext = callbackContext
    }

    deinit {
        callbackContext?.tokenRefresher?.detach()
        rd_kafka_destroy(pointer)
    }

    /// Why this client's SASL/OAUTHBEARER token could not be made, if it could not: a client without a token
    /// reaches no broker, so its calls fail with this rather than with a timeout.
    func tokenFailure() -> KafkaError? {
        callbackContext?.tokenRefresher?.failure
    }

    /// The fatal error that stopped the client (e.g. an idempotent producer's sequence failure), if any.
    func fatalError() -> KafkaError? {
        var text = RdKafkaErrorText()
        let code = rd_kafka_fatal_error(pointer, &text.storage, text.storage.count)
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        var error = KafkaError(code: KafkaError.Code(code), message: text.text, context: "fatal client error")
        error.isFatal = true
        return error
    }

    /// Low and high watermarks of a partition, as the broker reports them.
    func watermarks(_ partition: TopicPartition, timeoutMilliseconds: Int32) throws -> (low: Int64, high: Int64) {
        var low: Int64 = 0
        var high: Int64 = 0
        let code = rd_kafka_query_watermark_offsets(
            pointer, partition.topic, partition.partition, &low, &high, timeoutMilliseconds)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw tokenFailure() ?? KafkaError(code, context: "querying watermarks of \(partition)")
        }
        return (low, high)
    }

    /// Topics and their partition ids, from cluster metadata (internal `__` topics excluded).
    func topics(timeoutMilliseconds: Int32) throws -> [KafkaTopicMetadata] {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let code = rd_kafka_metadata(pointer, 1, nil, &metadata, timeoutMilliseconds)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw tokenFailure() ?? KafkaError(code, context: "reading cluster metadata")
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        let topics = UnsafeBufferPointer(start: metadata.pointee.topics, count: Int(metadata.pointee.topic_cnt))
        return topics.compactMap { topic in
            let name = String(cString: topic.topic)
            guard !name.hasPrefix("__"), topic.err == RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
            let partitions = UnsafeBufferPointer(start: topic.partitions, count: Int(topic.partition_cnt))
            return KafkaTopicMetadata(name: name, partitions: partitions.map(\.id).sorted())
        }.sorted { $0.name < $1.name }
    }
}

public struct KafkaTopicMetadata: Hashable, Sendable {
    public var name: String
    public var partitions: [Int32]
}

/// State that librdkafka's C callbacks reach through the client's opaque pointer.
class RdKafkaCallbackContext: @unchecked Sendable {
    // @unchecked: `tokenRefresher` is set once, before the handle (and so any callback) exists.
    /// Set when the client authenticates with SASL/OAUTHBEARER tokens from a `KafkaOAuthBearerTokenSource`.
    fileprivate(set) var tokenRefresher: KafkaTokenRefresher?
}

extension KafkaConfiguration {
    /// Whether the librdkafka loaded at run time accepts `key=value`: settings added in newer releases are unknown
    /// to older ones (Debian's 2.0.2, say), which refuse to start with them.
    public static func isAccepted(_ key: String, _ value: String) -> Bool {
        guard let conf = rd_kafka_conf_new() else { return false }
        defer { rd_kafka_conf_destroy(conf) }
        var errorText = RdKafkaErrorText()
        return rd_kafka_conf_set(conf, key, value, &errorText.storage, errorText.storage.count) == RD_KAFKA_CONF_OK
    }
}

private func makeConf(_ configuration: KafkaConfiguration) throws -> OpaquePointer {
    guard let conf = rd_kafka_conf_new() else {
        throw KafkaError(code: .invalidConfiguration, message: "rd_kafka_conf_new failed")
    }
    var errorText = RdKafkaErrorText()
    for (key, value) in configuration.properties.sorted(by: { $0.key < $1.key }) {
        guard rd_kafka_conf_set(conf, key, value, &errorText.storage, errorText.storage.count) == RD_KAFKA_CONF_OK else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError(
                code: .invalidConfiguration, message: errorText.text, context: "setting property \(key)")
        }
    }
    return conf
}

/// Owns an `rd_kafka_topic_partition_list_t` and converts it from and to Swift values.
final class RdKafkaPartitionList {
    let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    init(_ offsets: [TopicPartitionOffset]) {
        pointer = rd_kafka_topic_partition_list_new(Int32(max(offsets.count, 1)))
        for entry in offsets {
            let element = rd_kafka_topic_partition_list_add(pointer, entry.topicPartition.topic, entry.topicPartition.partition)
            element?.pointee.offset = entry.offset
        }
    }

    convenience init(_ partitions: [TopicPartition]) {
        self.init(partitions.map { TopicPartitionOffset($0, offset: TopicPartitionOffset.stored) })
    }

    /// Takes ownership of a list librdkafka handed us (e.g. `rd_kafka_assignment`'s result).
    init(owning pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        self.pointer = pointer
    }

    deinit {
        rd_kafka_topic_partition_list_destroy(pointer)
    }

    var offsets: [TopicPartitionOffset] { Self.offsets(in: pointer) }

    /// Calls `body` with the list, which stays alive until it returns (Swift may release an object right after
    /// its last use, which reading `pointer` for a call's argument would be).
    func withPointer<Result>(
        _ body: (UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) throws -> Result
    ) rethrows -> Result {
        try withExtendedLifetime(self) { try body(pointer) }
    }

    /// The first per-partition error in the list, if any.
    func firstError(context: String) -> KafkaError? {
        let elements = UnsafeBufferPointer(start: pointer.pointee.elems, count: Int(pointer.pointee.cnt))
        guard let failed = elements.first(where: { $0.err != RD_KAFKA_RESP_ERR_NO_ERROR }) else { return nil }
        return KafkaError(failed.err, context: "\(context) (\(String(cString: failed.topic))[\(failed.partition)])")
    }

    static func offsets(in list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> [TopicPartitionOffset] {
        UnsafeBufferPointer(start: list.pointee.elems, count: Int(list.pointee.cnt)).map {
            TopicPartitionOffset(topic: String(cString: $0.topic), partition: $0.partition, offset: $0.offset)
        }
    }
}

/// A buffer librdkafka writes an error message into (`errstr`, `errstr_size`).
struct RdKafkaErrorText {
    var storage = [CChar](repeating: 0, count: 512)

    var text: String {
        String(decoding: storage.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
