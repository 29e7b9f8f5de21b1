import Logging
import Shared
import Synchronization

/// Sends change records to Kafka and keeps the books for acknowledging late (docs/design.md invariant 4):
/// every record gets a ticket; delivery reports mark tickets durable; `acknowledgeable` is how far the slot may move.
///
/// It owns its producer: the owner runs it (`withRunning`) for the attempt's duration; a failed delivery, or a
/// fatal producer error, is kept and thrown by the next `publish`, `flush` or `sendDurably` — skipping it would
/// lose a change, so capture stops that attempt and a restart re-reads from the last acknowledged LSN.
public final class ChangePublisher: Sendable {
    private let producer: KafkaProducer
    private let books: Books
    private let onPublished: @Sendable ([Operation: Int]) -> Void
    /// With `--record-format debezium`: rewrites the records before they are queued.
    private let translator: DebeziumBatchTranslator?

    /// The acknowledgement tracker and the first failure, updated by the producer's delivery reports; the first
    /// ticket of each send under way (tickets issued, messages not yet handed to the producer), which a concurrent
    /// `flush` cannot wait for; and who waits for tickets to be delivered (`delivered(through:)`), by waiter id.
    private final class Books: Sendable {
        typealias Waiter = (through: UInt64, continuation: CheckedContinuation<Void, any Error>)
        let state: Mutex<
            (
                tracker: AcknowledgementTracker, failure: KafkaError?, sending: Set<UInt64>, waiters: [UInt64: Waiter],
                nextWaiter: UInt64
            )
        >

        init(startingAt lsn: LSN) {
            state = Mutex((AcknowledgementTracker(startingAt: lsn), nil, [], [:], 0))
        }

        /// Returns once every ticket up to `ticket` is delivered; throws the first failed delivery, or
        /// `CancellationError` when the task is cancelled first. Unlike `flush`, it does not wait for records
        /// published after them (an incremental snapshot's next chunk, already on its way).
        func delivered(through ticket: UInt64) async throws {
            let id = state.withLock { state in
                state.nextWaiter += 1
                return state.nextWaiter
            }
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    let ready: Result<Void, any Error>? = state.withLock { state in
                        if Task.isCancelled { return .failure(CancellationError()) }
                        if let failure = state.failure { return .failure(failure) }
                        if state.tracker.deliveredThrough >= ticket { return .success(()) }
                        state.waiters[id] = (ticket, continuation)
                        return nil
                    }
                    if let ready { continuation.resume(with: ready) }
                }
            } onCancel: {
                state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
            }
        }

        /// Hands the messages of tickets `first...` to the producer with `send`; until it returns, `flush` waits
        /// only for the tickets before them.
        func sending(from first: UInt64, _ send: () async throws -> Void) async throws {
            defer { _ = state.withLock { $0.sending.remove(first) } }
            try await send()
        }

        func record(_ event: KafkaProducerEvent) {
            let (ready, failure) = state.withLock { state -> ([Waiter], KafkaError?) in
                switch event {
                case .deliveryReports(let reports):
                    for report in reports {
                        if let error = report.error {
                            state.failure = state.failure ?? error
                        } else {
                            state.tracker.delivered(ticket: report.ticket)
                        }
                    }
                case .clientError(let error, let isFatal):
                    // A fatal error fails every queued message; say why. Authentication failures are not fatal to
                    // librdkafka (it retries), but nothing would ever be delivered.
                    if isFatal || KafkaError.Code.notPermitted.contains(error.code) {
                        state.failure = state.failure ?? error
                    }
                }
                let delivered = state.tracker.deliveredThrough
                let ready = state.waiters.filter { state.failure != nil || $0.value.through <= delivered }
                for id in ready.keys { state.waiters[id] = nil }
                return (Array(ready.values), state.failure)
            }
            for waiter in ready {
                if let failure { waiter.continuation.resume(throwing: failure) } else { waiter.continuation.resume() }
            }
        }

        func checkFailure() throws {
            if let failure = state.withLock({ $0.failure }) { throw failure }
        }
    }

    public init(
        configuration: KafkaConfiguration, logger: Logger, translator: DebeziumBatchTranslator? = nil,
        onPublished: @escaping @Sendable ([Operation: Int]) -> Void = { _ in }
    ) throws {
        self.translator = translator
        let books = Books(startingAt: LSN(rawValue: 0))
        self.books = books
        self.producer = try KafkaProducer(configuration: configuration, logger: logger) { books.record($0) }
        self.onPublished = onPublished
    }

    /// Runs the producer while `body` runs and stops it on every way out (see `KafkaProducer.withRunning`).
    public func withRunning<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        try await producer.withRunning(body)
    }

    /// Sets the slot position the books start from, before anything is published (the producer is created first:
    /// its producer-id request overlaps capture's checks).
    public func start(at lsn: LSN) {
        books.state.withLock { $0.tracker = AcknowledgementTracker(startingAt: lsn) }
    }

    /// Queues a stream batch's messages and registers its acknowledgement points, in stream order (a point covers
    /// every message before it). Returns once librdkafka has them, not once durable: the last ticket issued so far,
    /// which `sendDurably(_:after:)` can wait for.
    @discardableResult
    public func publish(_ batch: ChangeBatch) async throws -> UInt64 {
        guard !batch.isEmpty else { return books.state.withLock { $0.tracker.lastIssuedTicket } }
        // A stream batch's snapshot rows are an incremental snapshot's chunks.
        return try await queue(
            batch, messages: try translator?.translate(batch.messages, snapshot: .incremental) ?? batch.messages)
    }

    /// Queues `messages`, which are `batch`'s (translated or not); returns the last ticket issued.
    @discardableResult
    private func queue(_ batch: ChangeBatch, messages: KafkaMessageBatch) async throws -> UInt64 {
        let (firstTicket, lastTicket) = try books.state.withLock { state in
            if let failure = state.failure { throw failure }
            let first = state.tracker.lastIssuedTicket + 1
            var ticketed = 0
            for point in batch.acknowledgementPoints {
                _ = state.tracker.issueTickets(count: point.afterMessages - ticketed)
                ticketed = point.afterMessages
                state.tracker.committed(endLSN: point.lsn)
            }
            _ = state.tracker.issueTickets(count: messages.count - ticketed)
            if messages.count > 0 { state.sending.insert(first) }
            return (first, state.tracker.lastIssuedTicket)
        }
        if !batch.counts.isEmpty { onPublished(batch.counts) }
        if messages.count > 0 {
            try await books.sending(from: firstTicket) { try await producer.send(messages, firstTicket: firstTicket) }
        }
        return lastTicket
    }

    /// Queues records already encoded as one batch (the snapshot's), all of `operation`: a stream batch without
    /// commit points.
    public func publish(_ batch: KafkaMessageBatch, of operation: Operation) async throws {
        // Translated here, not by the stream's `publish`: these rows are the exported snapshot's.
        let messages = try translator?.translate(batch, snapshot: .true) ?? batch
        guard batch.count > 0 else { return }
        try await queue(ChangeBatch(messages: batch, acknowledgementPoints: [], counts: [operation: batch.count]), messages: messages)
    }

    /// Sends messages outside the change stream (snapshot state) once every record published before them is
    /// delivered, and returns once they are delivered too; throws if any of those deliveries failed. They take
    /// tickets after every record published so far, and no commit point, so `acknowledgeable` does not move.
    /// With `ticket` (from `publish`), only the records up to it are waited for before; records published
    /// meanwhile (the stream's, an incremental snapshot's next chunk) are not.
    public func sendDurably(_ messages: [KafkaOutgoingMessage], after ticket: UInt64? = nil) async throws {
        try await books.delivered(through: ticket ?? books.state.withLock { $0.tracker.lastIssuedTicket })
        let firstTicket = try books.state.withLock { state in
            if let failure = state.failure { throw failure }
            let first = state.tracker.issueTickets(count: messages.count)
            state.sending.insert(first)
            return first
        }
        try await books.sending(from: firstTicket) {
            try await producer.send(messages.enumerated().map { index, message in
                var message = message
                message.ticket = firstTicket + UInt64(index)
                return message
            })
        }
        try await books.delivered(through: firstTicket + UInt64(messages.count) - 1)
    }

    /// The highest LSN whose records Kafka has all acknowledged.
    public var acknowledgeable: LSN { books.state.withLock { $0.tracker.acknowledgeable } }

    /// Waits until every record published so far is durable in Kafka; throws the first failed delivery. (A publish
    /// still handing its messages to the producer meanwhile — the stream's, beside the incremental snapshot's
    /// `sendDurably` — is not waited for: it has not returned yet.)
    public func flush(timeout: Duration = .seconds(60)) async throws {
        let issued = books.state.withLock { state in
            state.sending.min().map { $0 - 1 } ?? state.tracker.lastIssuedTicket
        }
        try await producer.flush(timeout: timeout)
        try books.checkFailure()
        let delivered = books.state.withLock { $0.tracker.deliveredThrough }
        guard delivered >= issued else {
            throw KafkaError(
                code: .timedOut, message: "\(issued - delivered) records have no delivery report after the flush",
                context: "waiting for delivery reports")
        }
    }
}
