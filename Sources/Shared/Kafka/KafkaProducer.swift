import CRdKafka
import Foundation
import Logging
import Synchronization

/// An idempotent (`acks=all`) Kafka producer. Every message's delivery report comes back on `deliveryReports`
/// with the caller's ticket, so a caller knows exactly which records are durable in the log.
///
/// `deliveryReports` must be consumed: it buffers without bound.
public final class KafkaProducer: Sendable {
    private let client: RdKafkaClient
    private let executor = BlockingExecutor(label: "ferry.kafka.producer")
    private let reportThread: DeliveryReportThread
    public let deliveryReports: AsyncStream<[KafkaDeliveryReport]>

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

    public init(configuration: KafkaConfiguration, logger: Logger) throws {
        var merged = configuration
        for (key, value) in Self.defaults { merged = merged.withDefault(key, value) }
        client = try RdKafkaClient(
            kind: .producer, configuration: merged, events: RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR)
        let (stream, continuation) = AsyncStream.makeStream(of: [KafkaDeliveryReport].self)
        deliveryReports = stream
        reportThread = DeliveryReportThread(client: client, reports: continuation, logger: logger)
    }

    deinit {
        reportThread.stop()
    }

    /// Hands `messages` to librdkafka (which batches, compresses and retries them); waits while its queue is full.
    /// Returning means queued, not durable: durability arrives as delivery reports.
    public func send(_ messages: [KafkaOutgoingMessage]) async throws {
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
                    case .withHeader(let index, let name):
                        try batch.withTombstone(at: index) { key, value in
                            try produce(
                                KafkaOutgoingMessage(
                                    topic: run.topic, key: Array(key), value: nil,
                                    headers: [KafkaHeader(name: name, value: Array(value))],
                                    ticket: firstTicket + UInt64(index)),
                                on: client)
                        }
                    }
                }
            }
        }
    }

    /// Waits until every queued message has a delivery report; throws `timedOut` if some are still pending.
    public func flush(timeout: Duration) async throws {
        let client = self.client
        try await executor.run {
            let code = rd_kafka_flush(client.pointer, milliseconds(timeout))
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(code, context: "flushing the producer") }
        }
    }

    /// Messages queued or in flight, not yet reported.
    public var pendingMessages: Int { Int(rd_kafka_outq_len(client.pointer)) }

    /// Flushes, then stops delivering reports and finishes `deliveryReports`.
    public func shutdown(timeout: Duration = .seconds(30)) async throws {
        defer { reportThread.stop() }
        try await flush(timeout: timeout)
    }

    /// Low and high watermark of a partition as the broker reports them.
    public func watermarks(_ partition: TopicPartition, timeout: Duration = .seconds(10)) async throws -> (low: Int64, high: Int64) {
        let client = self.client
        return try await executor.run { try client.watermarks(partition, timeoutMilliseconds: milliseconds(timeout)) }
    }
}

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
        let refused = messages.first { $0.err != RD_KAFKA_RESP_ERR_NO_ERROR }?.err ?? RD_KAFKA_RESP_ERR__FAIL
        throw KafkaError(refused, context: "producing to \(topic)")
    }
}

private func produce(_ message: KafkaOutgoingMessage, on client: RdKafkaClient) throws {
    try produceWaitingForRoom(topicName: message.topic, on: client) {
        message.topic.withCString { topic in
            withOptionalBytes(message.key) { key in
                withOptionalBytes(message.value) { value in
                    produceOnce(
                        on: client, topic: topic, partition: message.partition ?? RD_KAFKA_PARTITION_UA,
                        key: key, value: value, ticket: message.ticket, headers: message.headers)
                }
            }
        }
    }
}

/// Repeats `attempt` (one produce call, returning its error) while librdkafka's queue is full.
private func produceWaitingForRoom(topicName: String, on client: RdKafkaClient, _ attempt: () -> OpaquePointer?) throws {
    while true {
        guard let error = attempt() else { return }
        let failure = KafkaError(consuming: error, context: "producing to \(topicName)")
        guard failure.code == .queueFull else { throw failure }
        // librdkafka's queue is full: the delivery-report thread drains it; give the broker a moment.
        usleep(1000)
    }
}

/// One `rd_kafka_produceva` call (librdkafka copies key and value); the returned error, if any, is the caller's
/// to destroy. The argument list lives on the stack: this runs once per message.
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
        arguments[4].u.i = RD_KAFKA_MSG_F_COPY
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

/// Serves the producer's main event queue on its own thread: delivery reports and client errors.
private final class DeliveryReportThread: Sendable {
    private let stopped = StopFlag()

    init(client: RdKafkaClient, reports: AsyncStream<[KafkaDeliveryReport]>.Continuation, logger: Logger) {
        let thread = Thread { [stopped] in
            let queue = rd_kafka_queue_get_main(client.pointer)
            while !stopped.isSet {
                guard let event = rd_kafka_queue_poll(queue, 100) else { continue }
                switch rd_kafka_event_type(event) {
                case RD_KAFKA_EVENT_DR:
                    reports.yield(deliveryReports(in: event))
                case RD_KAFKA_EVENT_ERROR:
                    logger.error(
                        "kafka producer error",
                        metadata: [
                            "error": "\(String(cString: rd_kafka_event_error_string(event)))",
                            "fatal": "\(rd_kafka_event_error_is_fatal(event) != 0)",
                        ])
                default:
                    break
                }
                rd_kafka_event_destroy(event)
            }
            rd_kafka_queue_destroy(queue)
            reports.finish()
        }
        thread.name = "ferry-kafka-delivery"
        thread.start()
    }

    /// Asks the thread to stop; it exits within one poll interval. Safe to call more than once.
    func stop() {
        stopped.set()
    }
}

private func deliveryReports(in event: OpaquePointer) -> [KafkaDeliveryReport] {
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
            error: message.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError(message.err, context: "delivering"))
    }
}

/// A flag one thread sets and another polls.
final class StopFlag: Sendable {
    private let value = Mutex(false)

    var isSet: Bool { value.withLock { $0 } }

    func set() {
        value.withLock { $0 = true }
    }
}
