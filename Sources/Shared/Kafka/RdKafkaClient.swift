import CRdKafka
import Logging
import Synchronization

/// Owns one `rd_kafka_t` (producer or consumer) and destroys it in `deinit`.
/// Callers run blocking calls on it through their own `BlockingExecutor`; the pointer never leaves the Kafka binding.
final class RdKafkaClient: @unchecked Sendable {
    // @unchecked: librdkafka's handle is thread-safe for the calls we make from several threads
    // (produce, queue polls, metadata); per-call serialisation is done by the owners' executors.
    let pointer: OpaquePointer
    /// Kept alive as long as the handle: librdkafka calls back into it with the opaque pointer.
    private let callbackContext: RdKafkaCallbackContext

    enum Kind { case producer, consumer }

    /// - Parameter events: the events its owner takes from the main queue (`rd_kafka_queue_poll`); with none, the
    ///   main queue is served on librdkafka's background thread, so client errors reach `authenticationFailure()`
    ///   whether or not the owner ever polls (the admin client does not; a consumer's blocking calls do not).
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
        let callbackContext = callbackContext ?? RdKafkaCallbackContext()
        callbackContext.tokenRefresher = tokenRefresher
        callbackContext.saslMechanism = configuration.saslMechanism
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(callbackContext).toOpaque())
        rd_kafka_conf_set_error_cb(conf, clientErrorCallback)
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
        // librdkafka reports client errors (a broker refusing our SASL credentials among them) on the main queue;
        // nobody polls it here, so the background thread (started on demand) serves it: `clientErrorCallback`.
        if events == 0, let main = rd_kafka_queue_get_main(handle) {
            if let background = rd_kafka_queue_get_background(handle) {
                rd_kafka_queue_forward(main, background)
                rd_kafka_queue_destroy(background)
            }
            rd_kafka_queue_destroy(main)
        }
        pointer = handle
        self.callbackContext = callbackContext
    }

    deinit {
        callbackContext.tokenRefresher?.detach()
        rd_kafka_destroy(pointer)
    }

    /// Why this client cannot authenticate, if it cannot: its SASL/OAUTHBEARER token could not be made, or a broker
    /// refused its SASL credentials or mechanism. Such a client reaches no broker, so its calls fail with this rather
    /// than with a timeout, and a retry would meet it again.
    func authenticationFailure() -> KafkaError? {
        callbackContext.tokenRefresher?.failure ?? callbackContext.refusedAuthentication
    }

    /// A client error librdkafka reported on the events its owner serves (`events`), kept when it is an
    /// authentication failure. Returns the error to report (for an authentication failure, the kept one), or nil
    /// for a refusal already reported: librdkafka reports one per reconnection.
    func clientErrorReported(_ error: KafkaError) -> KafkaError? {
        guard callbackContext.clientErrorReported(error.code, reason: error.message) else { return nil }
        return error.code == .authentication ? authenticationFailure() ?? error : error
    }

    /// `rd_kafka_queue_poll`, ended early (nil, as on a timeout) when a broker refuses the client's authentication.
    func poll(_ queue: OpaquePointer, timeout: Duration) -> OpaquePointer? {
        callbackContext.waitUnlessRefused(on: queue) { rd_kafka_queue_poll(queue, milliseconds(timeout)) }
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
            throw authenticationFailure() ?? KafkaError(code, context: "querying watermarks of \(partition)")
        }
        return (low, high)
    }

    /// Topics and their partition ids, from cluster metadata (internal `__` topics excluded).
    func topics(timeoutMilliseconds: Int32) throws -> [KafkaTopicMetadata] {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let code = rd_kafka_metadata(pointer, 1, nil, &metadata, timeoutMilliseconds)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw authenticationFailure() ?? KafkaError(code, context: "reading cluster metadata")
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
    // @unchecked: `tokenRefresher` and `saslMechanism` are set once, before the handle (and so any callback)
    // exists; the authentication state is under its lock.
    /// Set when the client authenticates with SASL/OAUTHBEARER tokens from a `KafkaOAuthBearerTokenSource`.
    fileprivate(set) var tokenRefresher: KafkaTokenRefresher?
    fileprivate(set) var saslMechanism = KafkaConfiguration.defaultSASLMechanism
    private let authentication = Mutex(AuthenticationState())

    private struct AuthenticationState {
        /// The first authentication a broker refused.
        var refused: KafkaError?
        /// The queues a call is waiting on (`waitUnlessRefused`).
        var waiting: [WaitingQueue] = []
    }

    /// A queue a call polls; librdkafka's queues are thread-safe, and yielding one from another thread is what
    /// `rd_kafka_queue_yield` is for.
    private struct WaitingQueue: @unchecked Sendable, Equatable {
        let pointer: OpaquePointer
    }

    /// The first authentication a broker refused, kept: librdkafka retries the connection, but wrong credentials or
    /// a mechanism the broker does not offer stay so.
    var refusedAuthentication: KafkaError? { authentication.withLock { $0.refused } }

    /// Runs `wait` (a poll of `queue`) unless a broker has refused the authentication; a refusal meanwhile ends the
    /// poll (`rd_kafka_queue_yield`): no answer would come before its timeout. Nil when refused.
    func waitUnlessRefused(on queue: OpaquePointer, _ wait: () -> OpaquePointer?) -> OpaquePointer? {
        let waiting = WaitingQueue(pointer: queue)
        let isRefused = authentication.withLock { state in
            if state.refused == nil { state.waiting.append(waiting) }
            return state.refused != nil
        }
        guard !isRefused else { return nil }
        defer { authentication.withLock { $0.waiting.removeAll { $0 == waiting } } }
        return wait()
    }

    /// librdkafka's client error (from `clientErrorCallback`, or the producer's error events). Returns false for
    /// an authentication refusal after the first, which says nothing new.
    @discardableResult
    func clientErrorReported(_ code: KafkaError.Code, reason: String) -> Bool {
        if code == .authentication {
            // A token the refresher could not make is reported as an authentication failure too; the refresher
            // knows whether that cause heals.
            guard tokenRefresher?.failure == nil else { return true }
            let failure = KafkaError.authenticationRefused(reason: reason, mechanism: saslMechanism)
            let isFirst = authentication.withLock { state in
                guard state.refused == nil else { return false }
                state.refused = failure
                // A yield before the poll starts still ends it.
                for queue in state.waiting { rd_kafka_queue_yield(queue.pointer) }
                return true
            }
            // librdkafka reconnects every few hundred milliseconds and reports each refusal: log the first.
            guard isFirst else { return false }
        }
        if let logger = clientErrorLogger {
            logger.warning("kafka client error", metadata: ["error": "\(KafkaError(code: code, message: reason))"])
        }
        return true
    }

    /// Where client errors served on the background thread are logged (librdkafka logs broker failures itself).
    var clientErrorLogger: Logger? { nil }
}

/// librdkafka's error callback, for clients whose main queue the background thread serves.
private let clientErrorCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = {
    _, code, reason, opaque in
    guard let opaque else { return }
    Unmanaged<RdKafkaCallbackContext>.fromOpaque(opaque).takeUnretainedValue().clientErrorReported(
        KafkaError.Code(rawValue: code), reason: reason.map { String(cString: $0) } ?? "")
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
