import Shared
import Synchronization

/// Streaming figures for logs and `/status`: the newest commit seen and how far the slot is acknowledged.
public final class StreamProgress: Sendable {
    private struct State {
        var lastCommitMs: Int64?
        var acknowledged: LSN?
    }

    private let state = Mutex(State())

    public init() {}

    func committed(commitMs: Int64) {
        state.withLock { $0.lastCommitMs = commitMs }
    }

    func acknowledged(_ lsn: LSN) {
        state.withLock { $0.acknowledged = lsn }
    }

    /// Commit time (PostgreSQL) of the newest transaction streamed.
    public var lastCommitMs: Int64? { state.withLock { $0.lastCommitMs } }
    /// The LSN last reported to the server as durable.
    public var acknowledged: LSN? { state.withLock { $0.acknowledged } }
}
