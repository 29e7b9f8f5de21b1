import Logging
import Shared
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Sends change records to Kafka and keeps the books for acknowledging late (docs/design.md invariant 4):
/// every record gets a ticket; delivery reports mark tickets durable; `acknowledgeable` is how far the slot may move.
public final class ChangePublisher: Sendable {
    private let producer: KafkaProducer
    private let tracker: Mutex<AcknowledgementTracker>
    private let deliveryFailure = Mutex<KafkaError?>(nil)

    private let onPublished: @Sendable ([Operation: Int]) -> Void

    public init(
        producer: KafkaProducer, startingAt lsn: LSN,
        onPublished: @escaping @Sendable ([Operation: Int]) -> Void = { _ in }
    ) {
        self.producer = producer
        self.onPublished = onPublished
        self.tracker = Mutex(AcknowledgementTracker(startingAt: lsn))
    }

    /// Queues a stream batch's messages and registers its acknowledgement points, in stream order (a point covers
    /// every message before it). Returns once librdkafka has them, not once durable.
    public func publish(_ batch: ChangeBatch) async throws {
        guard !batch.isEmpty else { return }
        if let failure = deliveryFailure.withLock({ $0 }) { throw failure }
        let firstTicket = tracker.withLock { tracker in
            let first = tracker.lastIssuedTicket + 1
            var ticketed = 0
            for point in batch.acknowledgementPoints {
                _ = tracker.issueTickets(count: point.afterMessages - ticketed)
                ticketed = point.afterMessages
                tracker.committed(endLSN: point.lsn)
            }
            _ = tracker.issueTickets(count: batch.messages.count - ticketed)
            return first
        }
        if !batch.counts.isEmpty { onPublished(batch.counts) }
        if batch.messages.count > 0 { try await producer.send(batch.messages, firstTicket: firstTicket) }
    }

    /// Queues records already encoded as one batch (the snapshot's), all of `operation`: a stream batch without
    /// commit points.
    public func publish(_ batch: KafkaMessageBatch, of operation: Operation) async throws {
        try await publish(ChangeBatch(messages: batch, acknowledgementPoints: [], counts: [operation: batch.count]))
    }

    /// Sends messages outside the change stream (snapshot state), untracked, and waits until they are durable.
    public func sendDurably(_ messages: [KafkaOutgoingMessage]) async throws {
        try await producer.sendDurably(messages)
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
