import Logging
import Shared
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Sends change records to Kafka and keeps the books for acknowledging late (DESIGN.md invariant 4):
/// every record gets a ticket; delivery reports mark tickets durable; `acknowledgeable` is how far the slot may move.
public final class ChangePublisher: Sendable {
    private let producer: KafkaProducer
    private let tracker: Mutex<AcknowledgementTracker>
    /// Follow each delete with a tombstone (same key, null value), so compaction can drop the row.
    private let tombstones: Bool
    private let deliveryFailure = Mutex<KafkaError?>(nil)

    private let onPublished: @Sendable ([Operation: Int]) -> Void

    public init(
        producer: KafkaProducer, startingAt lsn: LSN, tombstones: Bool,
        onPublished: @escaping @Sendable ([Operation: Int]) -> Void = { _ in }
    ) {
        self.producer = producer
        self.onPublished = onPublished
        self.tracker = Mutex(AcknowledgementTracker(startingAt: lsn))
        self.tombstones = tombstones
    }

    /// Queues records (with their tombstones) and registers commit points, in stream order (a commit covers every
    /// record before it). Returns once librdkafka has them, not once durable.
    public func publish(_ items: [PublishItem]) async throws {
        guard !items.isEmpty else { return }
        if let failure = deliveryFailure.withLock({ $0 }) { throw failure }
        var messages: [KafkaOutgoingMessage] = []
        messages.reserveCapacity(items.count)
        var counts: [Operation: Int] = [:]
        // Changes come in runs of one table: its topic name is built once per run, not once per record.
        var lastTopic: (source: SourceInfo, topic: String)?
        tracker.withLock { tracker in
            for item in items {
                switch item {
                case .record(let record):
                    let topic: String
                    if let lastTopic, lastTopic.source.schema == record.source.schema,
                        lastTopic.source.table == record.source.table, lastTopic.source.name == record.source.name
                    {
                        topic = lastTopic.topic
                    } else {
                        topic = record.topic
                        lastTopic = (record.source, topic)
                    }
                    let key = record.key.map(ChangeRecordCodec.encodeKey)
                    messages.append(
                        KafkaOutgoingMessage(
                            topic: topic, key: key, value: ChangeRecordCodec.encodeValue(record),
                            ticket: tracker.issueTicket()))
                    if tombstones, record.op == .delete, let key {
                        messages.append(KafkaOutgoingMessage(topic: topic, key: key, value: nil, ticket: tracker.issueTicket()))
                    }
                    counts[record.op, default: 0] += 1
                case .committed(let lsn):
                    tracker.committed(endLSN: lsn)
                case .idle(let lsn):
                    tracker.idle(at: lsn)
                }
            }
        }
        if !counts.isEmpty { onPublished(counts) }
        if !messages.isEmpty { try await producer.send(messages) }
    }

    /// Queues records already encoded as one batch (the snapshot's), all of `operation`, with consecutive tickets.
    public func publish(_ batch: KafkaMessageBatch, of operation: Operation) async throws {
        guard batch.count > 0 else { return }
        if let failure = deliveryFailure.withLock({ $0 }) { throw failure }
        let firstTicket = tracker.withLock { $0.issueTickets(count: batch.count) }
        onPublished([operation: batch.count])
        try await producer.send(batch, firstTicket: firstTicket)
    }

    /// Sends messages outside the change stream (snapshot state), untracked, and waits until they are durable.
    public func sendDurably(_ messages: [KafkaOutgoingMessage]) async throws {
        try await producer.send(messages)
        try await producer.flush(timeout: .seconds(60))
    }

    /// The highest LSN whose records Kafka has all acknowledged.
    public var acknowledgeable: LSN { tracker.withLock { $0.acknowledgeable } }

    /// Records handed to Kafka and not yet acknowledged.
    public var inFlight: UInt64 { tracker.withLock { $0.inFlight } }

    /// Consumes delivery reports in the background until the producer shuts down. A failed delivery is fatal:
    /// skipping it would lose a change, so the next `publish` throws it; capture stops and, on restart, re-reads
    /// from the last acknowledged LSN. (Not a child task: it must outlive cancellation to account for the final flush.)
    public func startTrackingDeliveries() {
        Task { [self] in
            for await reports in producer.deliveryReports {
                if let error = reports.lazy.compactMap(\.error).first {
                    deliveryFailure.withLock { $0 = $0 ?? error }
                }
                tracker.withLock { tracker in
                    for report in reports where report.error == nil { tracker.delivered(ticket: report.ticket) }
                }
            }
        }
    }

    /// Waits (up to `timeout`) until the delivery reports of everything published have been accounted for.
    public func settle(timeout: Duration = .seconds(30)) async throws {
        try await producer.flush(timeout: timeout)
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while inFlight > 0, ContinuousClock.now < deadline, deliveryFailure.withLock({ $0 }) == nil {
            await Task.yield()
            usleep(1000)
        }
        if let failure = deliveryFailure.withLock({ $0 }) { throw failure }
    }

    /// Waits until every record published so far is durable in Kafka.
    public func flush(timeout: Duration = .seconds(60)) async throws {
        try await producer.flush(timeout: timeout)
    }
}
