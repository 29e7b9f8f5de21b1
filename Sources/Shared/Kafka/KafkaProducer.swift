import CRdKafka
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// What the producer's event queue brings: delivery reports, or an error of the client itself.
public enum KafkaProducerEvent: Sendable {
    case deliveryReports([KafkaDeliveryReport])
    /// A client-level error (a broker down, an authentication failure, a fatal idempotence error); librdkafka
    /// keeps retrying what it can, so most are only worth a log line, and the owner decides.
    case clientError(KafkaError, isFatal: Bool)
}

/// An idempotent (`acks=all`) Kafka producer. Every message's delivery report comes back through `onEvent` with the
/// caller's ticket, so a caller knows exactly which records are durable in the log.
///
/// A `Service` with an explicit lifecycle: `run()` serves librdkafka's event queue — it sleeps on a continuation
/// that librdkafka resumes when the queue becomes non-empty, no thread of its own, no polling — until
/// `triggerGracefulShutdown()`. It ignores task cancellation on purpose: a capture shutting down still flushes and
/// must see the last reports. `withRunning(_:)` runs it beside a body and stops it on every way out; the owner
/// releases the producer afterwards, which destroys the librdkafka handle (its threads and broker connections).
public final class KafkaProducer: Service, Sendable {
    private let client: RdKafkaClient
    private let executor = BlockingExecutor(label: "ferry.kafka.producer")
    private let logger: Logger
    private let lifecycle = Mutex(KafkaProducerLifecycle())
    private let wakeups = EventQueueWakeups()
    private let onEvent: @Sendable (KafkaProducerEvent) -> Void

    /// Ferry's producer defaults; any of them can be overridden through `configuration`.
    public static let defaults: [String: String] = [
        "enable.idempotence": "true",
        "acks": "all",
        "compression.type": "lz4",
        "linger.ms": "5",
        "batch.size": "1000000",
        // Bounded: a producer faster than the broker blocks in `send` instead of buffering without end
        // (librdkafka's default would let a snapshot hold a gigabyte in memory). Queued messages also sit in
        // in-flight request buffers, compressed and not, so 8 MB here is about 25 MB of memory; a snapshot was
        // no slower than with 32 MB and peaked 80 MB lower.
        "queue.buffering.max.messages": "50000",
        "queue.buffering.max.kbytes": "8192",
        // Connect to the cluster's brokers as soon as they are known, not at the first message: the idempotent
        // producer's id request (retried every 500 ms) needs a connected broker, and waiting for one to be
        // needed cost capture a second before its first record could leave.
        "enable.sparse.connections": "false",
    ]

    /// librdkafka's default `message.max.bytes`: the largest record (and request) the producer sends.
    public static let defaultMaxMessageBytes = 1_000_000

    /// The largest record `configuration` lets a producer send (`message.max.bytes`).
    public static func maxMessageBytes(_ configuration: KafkaConfiguration) -> Int {
        configuration.properties["message.max.bytes"].flatMap { Int($0) } ?? defaultMaxMessageBytes
    }

    /// - Parameter onEvent: called on `run()`'s task for each delivery-report batch and client error, in order;
    ///   it must be quick (a snapshot brings hundreds of thousands of reports a second).
    public init(
        configuration: KafkaConfiguration, logger: Logger,
        onEvent: @escaping @Sendable (KafkaProducerEvent) -> Void = { _ in }
    ) throws {
        var merged = configuration
        for (key, value) in Self.defaults { merged = merged.withDefault(key, value) }
        client = try RdKafkaClient(
            kind: .producer, configuration: merged, events: RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR)
        self.logger = logger
        self.onEvent = onEvent
    }

    /// Serves the event queue until `triggerGracefulShutdown()`; then hands over what is already reported and
    /// returns. Runs once: a second call, or one after shutdown, throws.
    public func run() async throws {
        try lifecycle.withLock { try $0.start() }
        let queue = rd_kafka_queue_get_main(client.pointer)
        // librdkafka calls this on its own threads, with the queue's lock held, each time it enqueues an event:
        // it only resumes (or arms) the wake-up.
        rd_kafka_queue_cb_event_enable(queue, { _, opaque in
            guard let opaque else { return }
            Unmanaged<EventQueueWakeups>.fromOpaque(opaque).takeUnretainedValue().signal()
        }, Unmanaged.passUnretained(wakeups).toOpaque())
        defer {
            // Taken under the queue's lock too: once this returns, no callback runs or will run.
            rd_kafka_queue_cb_event_enable(queue, nil, nil)
            rd_kafka_queue_destroy(queue)
            lifecycle.withLock { $0.finished() }
        }
        repeat {
            serve(queue)
        } while await wakeups.next()
        serve(queue)
    }

    /// Makes `run()` return once it has handed over the events already queued. Safe to call more than once, and
    /// before `run()` (which then returns at once).
    public func triggerGracefulShutdown() {
        lifecycle.withLock { $0.stop() }
        wakeups.stop()
    }

    /// Runs the producer (`run()` in a child task) for the duration of `body`, and stops it however `body` ends:
    /// returning, throwing or cancelled.
    public func withRunning<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.run() }
            defer { triggerGracefulShutdown() }
            return try await body()
        }
    }

    /// Hands every event queued so far to `onEvent` (non-blocking polls).
    private func serve(_ queue: OpaquePointer?) {
        while let event = rd_kafka_queue_poll(queue, 0) {
            defer { rd_kafka_event_destroy(event) }
            switch rd_kafka_event_type(event) {
            case RD_KAFKA_EVENT_DR:
                onEvent(.deliveryReports(deliveryReports(in: event, client: client)))
            case RD_KAFKA_EVENT_ERROR:
                let isFatal = rd_kafka_event_error_is_fatal(event) != 0
                var error = KafkaError(
                    code: KafkaError.Code(rd_kafka_event_error(event)),
                    message: String(cString: rd_kafka_event_error_string(event)), context: "producing")
                if isFatal {
                    // The event says only `_FATAL`; the client knows the underlying error.
                    error = client.fatalError() ?? error
                    error.isFatal = true
                } else {
                    // An authentication failure becomes the broker's refusal, named with the mechanism and the fix,
                    // or a token librdkafka was not given, which the refresher knows whether it heals; a refusal
                    // already reported is not reported again.
                    guard let reported = client.clientErrorReported(error) else { continue }
                    error = reported
                }
                logger.error("kafka producer error", metadata: ["error": "\(error)", "fatal": "\(isFatal)"])
                onEvent(.clientError(error, isFatal: isFatal))
            default:
                break
            }
        }
    }

    /// Hands `messages` to librdkafka (which batches, compresses and retries them); waits while its queue is full.
    /// Returning means queued, not durable: durability arrives as delivery reports.
    public func send(_ messages: [KafkaOutgoingMessage]) async throws {
        try lifecycle.withLock { try $0.checkSending() }
        let client = self.client
        try await executor.run {
            for message in messages {
                try produce(message, on: client)
            }
        }
    }

    /// Hands a batch's messages to librdkafka in order, the `i`-th with ticket `firstTicket + i`; waits while its
    /// queue is full. Returning means queued, not durable.
    ///
    /// One `rd_kafka_produce_batch` call per run of one topic: librdkafka takes the topic lock and the clock once
    /// for the run rather than per message (a snapshot sends a million). `F_BLOCK` makes it wait for room message
    /// by message, so a full queue never lets a later message overtake an earlier one.
    public func send(_ batch: KafkaMessageBatch, firstTicket: UInt64) async throws {
        try lifecycle.withLock { try $0.checkSending() }
        let client = self.client
        try await executor.run {
            for run in batch.topicRuns {
                guard let handle = rd_kafka_topic_new(client.pointer, run.topic, nil) else {
                    throw KafkaError(rd_kafka_last_error(), context: "opening topic \(run.topic)")
                }
                defer { rd_kafka_topic_destroy(handle) }
                // In order, on this one thread: both calls queue by the same partitioner, so a partition's messages
                // keep their order whichever call sends them.
                for part in batch.parts(of: run) {
                    switch part {
                    case .plain(let range):
                        try produceBatch(batch, range: range, firstTicket: firstTicket, topic: handle, named: run.topic)
                    case .withHeaders(let index):
                        try produce(
                            batch.outgoingMessage(at: index, topic: run.topic, ticket: firstTicket + UInt64(index)),
                            on: client)
                    }
                }
            }
        }
    }

    /// Waits until every queued message has a delivery report and `onEvent` has seen it (the producer must be
    /// running); throws `timedOut` if some are still pending.
    public func flush(timeout: Duration) async throws {
        let client = self.client
        try await executor.run {
            let code = rd_kafka_flush(client.pointer, milliseconds(timeout))
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(code, context: "flushing the producer") }
        }
    }

    /// Low and high watermark of a partition as the broker reports them.
    public func watermarks(_ partition: TopicPartition, timeout: Duration = .seconds(10)) async throws -> (low: Int64, high: Int64) {
        let client = self.client
        return try await executor.run { try client.watermarks(partition, timeoutMilliseconds: milliseconds(timeout)) }
    }
}

/// The producer's lifecycle: `initial` → `running` → `stopping` → `finished` (or `initial` → `stopping` when
/// stopped before it ran). Pure state; `KafkaProducer` keeps it under a lock.
struct KafkaProducerLifecycle {
    enum State { case initial, running, stopping, finished }
    private(set) var state = State.initial

    /// `run()` begins; false when it was stopped before (run returns at once).
    mutating func start() throws {
        switch state {
        case .initial: state = .running
        case .stopping: break
        case .running, .finished:
            throw KafkaError(code: .shuttingDown, message: "the producer runs only once", context: "starting the producer")
        }
    }

    mutating func stop() {
        if state == .initial || state == .running { state = .stopping }
    }

    mutating func finished() {
        state = .finished
    }

    /// Messages may be queued until the producer has finished (while stopping, a flush may still run).
    func checkSending() throws {
        guard state != .finished else {
            throw KafkaError(code: .shuttingDown, message: "the producer has stopped", context: "producing")
        }
    }
}

/// Wakes `run()` when librdkafka's event queue becomes non-empty: a continuation the queue's callback resumes,
/// or a pending mark when the callback comes while `run()` is busy serving.
private final class EventQueueWakeups: Sendable {
    private struct State {
        var pending = false
        var stopping = false
        var waiter: CheckedContinuation<Bool, Never>?
    }

    private let state = Mutex(State())

    /// From librdkafka's threads: an event was queued.
    func signal() {
        state.withLock { state in
            if let waiter = state.waiter {
                state.waiter = nil
                waiter.resume(returning: true)
            } else {
                state.pending = true
            }
        }
    }

    func stop() {
        state.withLock { state in
            state.stopping = true
            state.waiter?.resume(returning: false)
            state.waiter = nil
        }
    }

    /// Waits for the next event; false once stopping.
    func next() async -> Bool {
        await withCheckedContinuation { continuation in
            state.withLock { state in
                if state.stopping {
                    continuation.resume(returning: false)
                } else if state.pending {
                    state.pending = false
                    continuation.resume(returning: true)
                } else {
                    state.waiter = continuation
                }
            }
        }
    }
}

/// Queues `range` of a topic run with one `rd_kafka_produce_batch` call; the first message librdkafka refuses is
/// the error, naming the record.
private func produceBatch(
    _ batch: KafkaMessageBatch, range: Range<Int>, firstTicket: UInt64, topic handle: OpaquePointer, named topic: String
) throws {
    try batch.withMessageArray(of: range, firstTicket: firstTicket) { messages in
        let queued = rd_kafka_produce_batch(
            handle, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY | RD_KAFKA_MSG_F_BLOCK, messages.baseAddress,
            Int32(messages.count))
        guard queued < messages.count else { return }
        // Those queued go out; the first refused one stops the publisher (a restart re-sends from the last
        // acknowledged position).
        guard let refused = messages.first(where: { $0.err != RD_KAFKA_RESP_ERR_NO_ERROR }) else {
            throw KafkaError(RD_KAFKA_RESP_ERR__FAIL, context: "producing to \(topic)")
        }
        var error = KafkaError(refused.err, context: "producing to \(topic)")
        error.record = KafkaRecordReference(topic: topic, message: refused)
        throw error
    }
}

/// Produces one message with `rd_kafka_produceva`; `F_BLOCK` waits (on the producer's executor) while
/// librdkafka's queue is full.
private func produce(_ message: KafkaOutgoingMessage, on client: RdKafkaClient) throws {
    let error = message.topic.withCString { topic in
        withOptionalBytes(message.key) { key in
            withOptionalBytes(message.value) { value in
                produceOnce(
                    on: client, topic: topic, partition: message.partition ?? RD_KAFKA_PARTITION_UA,
                    key: key, value: value, ticket: message.ticket, headers: message.headers)
            }
        }
    }
    guard let error else { return }
    var failure = KafkaError(consuming: error, context: "producing to \(message.topic)")
    failure.record = KafkaRecordReference(
        topic: message.topic, key: message.key, size: (message.key?.count ?? 0) + (message.value?.count ?? 0))
    throw failure
}

/// One `rd_kafka_produceva` call (librdkafka copies key and value; `F_BLOCK` waits for room in its queue); the
/// returned error, if any, is the caller's to destroy. The argument list lives on the stack: this runs once per message.
private func produceOnce(
    on client: RdKafkaClient, topic: UnsafePointer<CChar>, partition: Int32, key: UnsafeRawBufferPointer?,
    value: UnsafeRawBufferPointer?, ticket: UInt64, headers: [KafkaHeader]
) -> OpaquePointer? {
    withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 7) { arguments in
        arguments.initialize(repeating: rd_kafka_vu_t())
        arguments[0].vtype = RD_KAFKA_VTYPE_TOPIC
        arguments[0].u.cstr = topic
        arguments[1].vtype = RD_KAFKA_VTYPE_PARTITION
        arguments[1].u.i32 = partition
        arguments[2].vtype = RD_KAFKA_VTYPE_KEY
        arguments[2].u.mem.ptr = UnsafeMutableRawPointer(mutating: key?.baseAddress)
        arguments[2].u.mem.size = key?.count ?? 0
        arguments[3].vtype = RD_KAFKA_VTYPE_VALUE
        arguments[3].u.mem.ptr = UnsafeMutableRawPointer(mutating: value?.baseAddress)
        arguments[3].u.mem.size = value?.count ?? 0
        arguments[4].vtype = RD_KAFKA_VTYPE_MSGFLAGS
        arguments[4].u.i = RD_KAFKA_MSG_F_COPY | RD_KAFKA_MSG_F_BLOCK
        arguments[5].vtype = RD_KAFKA_VTYPE_OPAQUE
        arguments[5].u.ptr = UnsafeMutableRawPointer(bitPattern: UInt(ticket))
        var count = 6
        var headerList: OpaquePointer?
        if !headers.isEmpty {
            headerList = makeHeaders(headers)
            arguments[6].vtype = RD_KAFKA_VTYPE_HEADERS
            arguments[6].u.headers = headerList
            count = 7
        }
        let error = rd_kafka_produceva(client.pointer, arguments.baseAddress, count)
        // On success librdkafka owns the headers; on failure they are still ours.
        if error != nil, let headerList { rd_kafka_headers_destroy(headerList) }
        return error
    }
}

private func makeHeaders(_ headers: [KafkaHeader]) -> OpaquePointer? {
    let list = rd_kafka_headers_new(headers.count)
    for header in headers {
        withOptionalBytes(header.value) { value in
            _ = rd_kafka_header_add(list, header.name, -1, value?.baseAddress, value.map { $0.count } ?? 0)
        }
    }
    return list
}

func withOptionalBytes<Result>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> Result) -> Result {
    guard let bytes else { return body(nil) }
    return bytes.withUnsafeBytes { body($0) }
}

func milliseconds(_ duration: Duration) -> Int32 {
    let (seconds, attoseconds) = duration.components
    return Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
}

private func deliveryReports(in event: OpaquePointer, client: RdKafkaClient) -> [KafkaDeliveryReport] {
    let count = rd_kafka_event_message_count(event)
    var messages = [UnsafePointer<rd_kafka_message_t>?](repeating: nil, count: count)
    let filled = rd_kafka_event_message_array(event, &messages, count)
    // An event's messages are usually of one topic: make its name once, not a String per message.
    var topicName: (handle: OpaquePointer?, name: String) = (nil, "")
    return messages.prefix(filled).compactMap { pointer in
        guard let message = pointer?.pointee else { return nil }
        if topicName.handle != message.rkt || topicName.handle == nil {
            topicName = (message.rkt, String(cString: rd_kafka_topic_name(message.rkt)))
        }
        return KafkaDeliveryReport(
            ticket: UInt64(UInt(bitPattern: message._private)),
            topic: topicName.name,
            partition: message.partition,
            offset: message.offset,
            error: message.err == RD_KAFKA_RESP_ERR_NO_ERROR
                ? nil : deliveryError(message, topic: topicName.name, client: client))
    }
}

/// Why a message was not delivered, naming it; after a fatal error (librdkafka then fails every queued message)
/// the fatal error itself, which is what the operator must act on.
private func deliveryError(_ message: rd_kafka_message_t, topic: String, client: RdKafkaClient) -> KafkaError {
    var error = client.fatalError() ?? KafkaError(message.err, context: "delivering to \(topic)")
    error.record = KafkaRecordReference(topic: topic, message: message)
    return error
}
