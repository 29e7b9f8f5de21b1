import CRdKafka
import Logging
import NIOCore

/// A partition assignment change in a consumer group.
public enum KafkaRebalanceEvent: Sendable {
    /// Partitions now ours (reported after they are assigned).
    case assigned([TopicPartition])
    /// Partitions being taken away. The handler runs before the stored offsets are committed and the partitions
    /// released, so it can finish (or abandon) in-flight work and store what became durable.
    case revoked([TopicPartition])
}

/// A Kafka consumer: group member (`subscribe`) or manual reader (`assign`, never joining a group).
/// Offsets are never committed automatically: callers `store` what is processed and `commit` it; a revocation and
/// `close()` commit what was stored.
public final class KafkaConsumer: Sendable {
    private let client: RdKafkaClient
    private let executor = BlockingExecutor(label: "ferry.kafka.consumer")
    private let context: RebalanceContext
    let logger: Logger

    public static let defaults: [String: String] = [
        "enable.auto.commit": "false",
        "enable.auto.offset.store": "false",
        // A new group reads the whole log: the topics hold the history and a fresh apply rebuilds from it.
        "auto.offset.reset": "earliest",
        "enable.partition.eof": "false",
        // librdkafka needs a group id even to `assign`; a reader that never subscribes or commits leaves no trace.
        "group.id": "ferry-unjoined-reader",
    ]

    /// - Parameter rebalanceHandler: called on the consumer's own thread, synchronously, from inside `poll`.
    public init(
        configuration: KafkaConfiguration, logger: Logger,
        rebalanceHandler: (@Sendable (KafkaRebalanceEvent) -> Void)? = nil
    ) throws {
        var merged = configuration
        for (key, value) in Self.defaults { merged = merged.withDefault(key, value) }
        context = RebalanceContext(handler: rebalanceHandler, logger: logger)
        client = try RdKafkaClient(
            kind: .consumer, configuration: merged, callbackContext: context, rebalanceCallback: rebalanceCallback)
        self.logger = logger
        // Its main queue (client errors) is served on librdkafka's background thread (`RdKafkaClient`): a failed
        // authentication then reaches `poll` and the blocking calls alike.
    }

    /// Joins the group for `topics`; a name starting with `^` is a regular expression.
    public func subscribe(topics: [String]) async throws {
        let client = self.client
        try await executor.run {
            let list = RdKafkaPartitionList(topics.map { TopicPartition(topic: $0, partition: RD_KAFKA_PARTITION_UA) })
            let code = list.withPointer { rd_kafka_subscribe(client.pointer, $0) }
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(code, context: "subscribing to \(topics)") }
        }
    }

    /// Reads exactly these partitions from these offsets without joining a group (for `tail`).
    public func assign(_ partitions: [TopicPartitionOffset]) async throws {
        let client = self.client
        try await executor.run {
            let code = RdKafkaPartitionList(partitions).withPointer { rd_kafka_assign(client.pointer, $0) }
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(code, context: "assigning partitions") }
        }
    }

    /// Waits up to `timeout` for messages and returns up to `maxMessages` of them (empty on timeout).
    public func poll(maxMessages: Int = 2048, timeout: Duration) async throws -> [KafkaMessage] {
        let client = self.client
        let logger = self.logger
        return try await executor.run {
            try consumeBatch(client: client, maxMessages: maxMessages, timeout: timeout, logger: logger)
        }
    }

    /// Marks offsets (the next offset to read, see `KafkaMessage.nextOffset`) as processed: the next commit
    /// — explicit, on revocation or on close — writes them to the group.
    public func store(_ offsets: [TopicPartitionOffset]) async throws {
        guard !offsets.isEmpty else { return }
        let client = self.client
        try await executor.run {
            let code = RdKafkaPartitionList(offsets).withPointer { rd_kafka_offsets_store(client.pointer, $0) }
            // _STATE: the partition was revoked meanwhile; its new owner re-reads from the last commit (idempotent).
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR || code == RD_KAFKA_RESP_ERR__STATE else {
                throw KafkaError(code, context: "storing offsets")
            }
        }
    }

    /// Commits the stored offsets synchronously. Nothing stored is not an error.
    public func commit() async throws {
        let client = self.client
        try await executor.run { try commitStored(client) }
    }

    /// Asks for a commit of the stored offsets without waiting for the broker's answer: the per-batch commit of a
    /// consumer whose offsets are stored only when durable downstream. A lost request costs a re-read; revocation
    /// and `close()` commit synchronously.
    public func requestCommit() async throws {
        let client = self.client
        try await executor.run { try commitStored(client, waiting: false) }
    }

    /// Commits these offsets synchronously, whatever was stored.
    public func commit(_ offsets: [TopicPartitionOffset]) async throws {
        let client = self.client
        try await executor.run {
            let list = RdKafkaPartitionList(offsets)
            let code = rd_kafka_commit(client.pointer, list.pointer, 0)
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw client.authenticationFailure() ?? KafkaError(code, context: "committing offsets")
            }
            if let error = list.firstError(context: "committing offsets") { throw error }
        }
    }

    /// The group's committed offsets for `partitions` (`TopicPartitionOffset.stored`-valued when none).
    public func committed(_ partitions: [TopicPartition], timeout: Duration = .seconds(10)) async throws -> [TopicPartitionOffset] {
        let client = self.client
        return try await executor.run {
            let list = RdKafkaPartitionList(partitions)
            let code = rd_kafka_committed(client.pointer, list.pointer, milliseconds(timeout))
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw client.authenticationFailure() ?? KafkaError(code, context: "reading committed offsets")
            }
            return list.offsets
        }
    }

    /// The partitions currently assigned to this consumer.
    public func assignment() async throws -> [TopicPartition] {
        let client = self.client
        return try await executor.run { try currentAssignment(client) }
    }

    /// Pauses every assigned partition, then serves the consumer queue without waiting: rebalance callbacks run
    /// and librdkafka counts it as a poll for `max.poll.interval.ms`, but no new message of a paused partition
    /// arrives (pausing drops what was prefetched; `resumeAssignment` fetches again from the position).
    /// Returns the messages of partitions assigned during the call, which were not paused yet: the caller owns them.
    public func pollWithAssignmentPaused(maxMessages: Int = 2048) async throws -> [KafkaMessage] {
        let client = self.client
        let logger = self.logger
        return try await executor.run {
            let assigned = try currentAssignment(client)
            if !assigned.isEmpty {
                let code = RdKafkaPartitionList(assigned).withPointer { rd_kafka_pause_partitions(client.pointer, $0) }
                guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(code, context: "pausing partitions") }
            }
            return try consumeBatch(client: client, maxMessages: maxMessages, timeout: .zero, logger: logger)
        }
    }

    /// Resumes every assigned partition (those not paused are left as they are).
    public func resumeAssignment() async throws {
        let client = self.client
        try await executor.run {
            let assigned = try currentAssignment(client)
            guard !assigned.isEmpty else { return }
            let code = RdKafkaPartitionList(assigned).withPointer { rd_kafka_resume_partitions(client.pointer, $0) }
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(code, context: "resuming partitions") }
        }
    }

    public func pause(_ partitions: [TopicPartition]) async throws {
        try await changeFlow(partitions, pause: true)
    }

    public func resume(_ partitions: [TopicPartition]) async throws {
        try await changeFlow(partitions, pause: false)
    }

    private func changeFlow(_ partitions: [TopicPartition], pause: Bool) async throws {
        let client = self.client
        try await executor.run {
            let code = RdKafkaPartitionList(partitions).withPointer { list in
                pause ? rd_kafka_pause_partitions(client.pointer, list) : rd_kafka_resume_partitions(client.pointer, list)
            }
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(code, context: pause ? "pausing partitions" : "resuming partitions")
            }
        }
    }

    /// Moves the read position of assigned partitions.
    public func seek(_ positions: [TopicPartitionOffset], timeout: Duration = .seconds(10)) async throws {
        let client = self.client
        try await executor.run {
            let list = RdKafkaPartitionList(positions)
            if let error = rd_kafka_seek_partitions(client.pointer, list.pointer, milliseconds(timeout)) {
                throw KafkaError(consuming: error, context: "seeking")
            }
            if let error = list.firstError(context: "seeking") { throw error }
        }
    }

    /// For each partition, the earliest offset whose timestamp is at or after `timestampMs` (`end` if none).
    public func offsets(
        for partitions: [TopicPartition], atTimestampMs timestampMs: Int64, timeout: Duration = .seconds(10)
    ) async throws -> [TopicPartitionOffset] {
        let client = self.client
        return try await executor.run {
            let list = RdKafkaPartitionList(partitions.map { TopicPartitionOffset($0, offset: timestampMs) })
            let code = rd_kafka_offsets_for_times(client.pointer, list.pointer, milliseconds(timeout))
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw client.authenticationFailure() ?? KafkaError(code, context: "looking up offsets for a time")
            }
            if let error = list.firstError(context: "looking up offsets for a time") { throw error }
            return list.offsets
        }
    }

    /// Low and high watermark of a partition as the broker reports them.
    public func watermarks(_ partition: TopicPartition, timeout: Duration = .seconds(10)) async throws -> (low: Int64, high: Int64) {
        let client = self.client
        return try await executor.run { try client.watermarks(partition, timeoutMilliseconds: milliseconds(timeout)) }
    }

    /// Topics in the cluster with their partitions.
    public func topics(timeout: Duration = .seconds(10)) async throws -> [KafkaTopicMetadata] {
        let client = self.client
        return try await executor.run { try client.topics(timeoutMilliseconds: milliseconds(timeout)) }
    }

    /// Leaves the group: the final revocation commits stored offsets. The consumer is unusable afterwards.
    public func close() async throws {
        let client = self.client
        try await executor.run {
            let code = rd_kafka_consumer_close(client.pointer)
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(code, context: "closing the consumer") }
        }
    }
}

private func currentAssignment(_ client: RdKafkaClient) throws -> [TopicPartition] {
    var pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
    let code = rd_kafka_assignment(client.pointer, &pointer)
    guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let pointer else { throw KafkaError(code, context: "reading the assignment") }
    return RdKafkaPartitionList(owning: pointer).offsets.map(\.topicPartition)
}

private func commitStored(_ client: RdKafkaClient, waiting: Bool = true) throws {
    let code = rd_kafka_commit(client.pointer, nil, waiting ? 0 : 1)
    guard code == RD_KAFKA_RESP_ERR_NO_ERROR || code == RD_KAFKA_RESP_ERR__NO_OFFSET else {
        throw client.authenticationFailure() ?? KafkaError(code, context: "committing stored offsets")
    }
}

private func consumeBatch(
    client: RdKafkaClient, maxMessages: Int, timeout: Duration, logger: Logger
) throws -> [KafkaMessage] {
    // Without a token, or with credentials the brokers refuse, no broker is reached and nothing ever arrives: say
    // why and stop.
    if let failure = client.authenticationFailure() { throw failure }
    guard let queue = rd_kafka_queue_get_consumer(client.pointer) else {
        throw KafkaError(code: .invalidConfiguration, message: "no consumer queue", context: "polling")
    }
    defer { rd_kafka_queue_destroy(queue) }
    // consume_batch waits until the batch is *full* or the timeout passes; we want "what is there, up to
    // maxMessages", so take what is buffered without waiting, and wait (up to timeout) only for a first message.
    var pointers = [UnsafeMutablePointer<rd_kafka_message_t>?](repeating: nil, count: maxMessages)
    var count = rd_kafka_consume_batch_queue(queue, 0, &pointers, maxMessages)
    if count == 0 {
        count = rd_kafka_consume_batch_queue(queue, milliseconds(timeout), &pointers, 1)
        if count == 1 {
            count += pointers.withUnsafeMutableBufferPointer { rest in
                max(0, rd_kafka_consume_batch_queue(queue, 0, rest.baseAddress.map { $0 + 1 }, maxMessages - 1))
            }
        }
    }
    // rd_kafka_last_error is thread-local: read here, on the thread that made the call.
    guard count >= 0 else { throw KafkaError(rd_kafka_last_error(), context: "polling") }
    let received = pointers.prefix(count).compactMap { $0 }
    defer { received.forEach { rd_kafka_message_destroy($0) } }
    // One allocation for the whole batch: keys and values become slices of it (no malloc per message).
    // All bytes are written before the first slice is taken: a write after that would copy the shared storage.
    let totalBytes = received.reduce(0) { $0 + $1.pointee.len + $1.pointee.key_len }
    var storage = ByteBufferAllocator().buffer(capacity: totalBytes)
    var spans: [(key: Range<Int>?, value: Range<Int>?)] = []
    spans.reserveCapacity(received.count)
    for pointer in received {
        spans.append((storage.append(pointer.pointee.key, pointer.pointee.key_len),
                      storage.append(pointer.pointee.payload, pointer.pointee.len)))
    }
    var messages: [KafkaMessage] = []
    messages.reserveCapacity(count)
    var topicNames: [OpaquePointer: String] = [:]
    for (pointer, span) in zip(received, spans) {
        let raw = pointer.pointee
        guard raw.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            // A fatal error stops the client; one a retry cannot change (a denied topic or group, a join the broker
            // refuses as configured) stops the caller, which would otherwise wait for ever; the rest is
            // informational (librdkafka retries).
            if let fatal = client.fatalError() { throw fatal }
            let error = consumerError(pointer)
            guard error.mayHeal else { throw error }
            logger.warning("kafka consumer error", metadata: ["error": "\(error)"])
            continue
        }
        let topic: String
        if let rkt = raw.rkt, let cached = topicNames[rkt] {
            topic = cached
        } else {
            topic = raw.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
            if let rkt = raw.rkt { topicNames[rkt] = topic }
        }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(pointer, &timestampType)
        messages.append(
            KafkaMessage(
                topic: topic, partition: raw.partition, offset: raw.offset,
                key: span.key.flatMap { storage.getSlice(at: $0.lowerBound, length: $0.count) },
                value: span.value.flatMap { storage.getSlice(at: $0.lowerBound, length: $0.count) },
                timestampMs: timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp,
                headers: headers(of: pointer)))
    }
    return messages
}

/// A consumer error message's error, with librdkafka's text (it names the topic or the request that failed).
private func consumerError(_ message: UnsafeMutablePointer<rd_kafka_message_t>) -> KafkaError {
    let topic = message.pointee.rkt.map {
        " (\(TopicPartition(topic: String(cString: rd_kafka_topic_name($0)), partition: message.pointee.partition)))"
    } ?? ""
    return KafkaError(
        code: KafkaError.Code(message.pointee.err), message: String(cString: rd_kafka_message_errstr(message)),
        context: "consuming\(topic)")
}

extension ByteBuffer {
    /// Appends the bytes and returns where they are; nil for a null pointer (a null key or a tombstone).
    fileprivate mutating func append(_ pointer: UnsafeMutableRawPointer?, _ count: Int) -> Range<Int>? {
        guard let pointer else { return nil }
        let start = writerIndex
        writeBytes(UnsafeRawBufferPointer(start: pointer, count: count))
        return start..<writerIndex
    }
}

private func headers(of message: UnsafeMutablePointer<rd_kafka_message_t>) -> [KafkaHeader] {
    var list: OpaquePointer?
    guard rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
    var headers: [KafkaHeader] = []
    var index = 0
    var name: UnsafePointer<CChar>?
    var value: UnsafeRawPointer?
    var size = 0
    while rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
        headers.append(
            KafkaHeader(
                name: name.map { String(cString: $0) } ?? "",
                value: value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }))
        index += 1
    }
    return headers
}
