import Shared
import Synchronization

/// Where the incremental loader hands a chunk it read to the stream, and learns what became of it: the loader
/// registers a chunk before writing its low watermark and gives it its rows before writing the high one; the
/// stream, meeting the high watermark, takes the rows, writes those that did not change in the window and, once
/// they are published, reports the outcome the loader waits for.
public final class ChunkHandoff: Sendable {
    enum Outcome: Sendable, Equatable {
        /// The chunk's rows that did not change in the window were published (`rows` of them), as records up to
        /// the publisher's ticket `lastTicket`.
        case published(rows: Int, lastTicket: UInt64)
        /// The window could not tell which rows are safe (`SnapshotWindows`); the chunk is to be read again.
        case abandoned(reason: String)

        /// This outcome, with the last ticket of the batch its rows were published in (known once it is).
        func published(through ticket: UInt64) -> Outcome {
            guard case .published(let rows, _) = self else { return self }
            return .published(rows: rows, lastTicket: ticket)
        }
    }

    /// A chunk's rows as read, and what the stream needs to write them.
    struct Rows: Sendable {
        var table: String
        var encoder: @Sendable (_ highWatermark: LSN) -> SnapshotRecordEncoder
        var chunks: [PostgresCopyChunk] = []
    }

    private struct Entry: Sendable {
        var rows: Rows
        var isRead = false
        var outcome: Outcome?
        var waiter: CheckedContinuation<Outcome?, Never>?
    }

    private let entries = Mutex<[UInt64: Entry]>([:])

    public init() {}

    /// A new chunk of `rows.table`, before its low watermark is written.
    func register(_ chunk: UInt64, _ rows: Rows) {
        entries.withLock { $0[chunk] = Entry(rows: rows) }
    }

    /// Drops a chunk whose low watermark was not written.
    func forget(_ chunk: UInt64) {
        entries.withLock { _ = $0.removeValue(forKey: chunk) }
    }

    /// The table of a registered chunk (the stream opens a window at its low watermark); nil for another capture's.
    func table(of chunk: UInt64) -> String? {
        entries.withLock { $0[chunk]?.rows.table }
    }

    /// The chunk's rows, read; before its high watermark is written.
    func read(_ chunk: UInt64, rows chunks: [PostgresCopyChunk]) {
        entries.withLock {
            $0[chunk]?.rows.chunks = chunks
            $0[chunk]?.isRead = true
        }
    }

    /// The rows of a chunk whose high watermark the stream met; nil when it is not this capture's chunk (or was
    /// taken already: a stream repeated after a retry meets old marks again).
    func take(_ chunk: UInt64) -> Rows? {
        entries.withLock { entries in
            guard let entry = entries[chunk], entry.isRead, entry.outcome == nil else { return nil }
            entries[chunk]?.rows.chunks = []
            return entry.rows
        }
    }

    /// What became of `chunk`, from the stream.
    func finish(_ chunk: UInt64, _ outcome: Outcome) {
        let waiter = entries.withLock { entries -> CheckedContinuation<Outcome?, Never>? in
            guard let waiter = entries[chunk]?.waiter else {
                entries[chunk]?.outcome = outcome
                return nil
            }
            entries[chunk] = nil
            return waiter
        }
        waiter?.resume(returning: outcome)
    }

    /// Waits until the stream finished `chunk`; throws `CancellationError` if the task is cancelled first.
    func outcome(of chunk: UInt64) async throws -> Outcome {
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Outcome?, Never>) in
                let ready = entries.withLock { entries -> Outcome?? in
                    // Gone: the wait was cancelled.
                    guard let entry = entries[chunk] else { return .some(nil) }
                    if let outcome = entry.outcome {
                        entries[chunk] = nil
                        return .some(outcome)
                    }
                    entries[chunk]?.waiter = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = entries.withLock { $0.removeValue(forKey: chunk)?.waiter }
            waiter?.resume(returning: nil)
        }
        guard let outcome else { throw CancellationError() }
        return outcome
    }
}
