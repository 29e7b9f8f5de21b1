import Shared
import Synchronization

/// Streaming figures for logs and `/status`: the newest commit (or heartbeat) seen and how far the slot is
/// acknowledged. Source latency is now minus that time, so an idle but healthy stream stays near zero.
public final class StreamProgress: Sendable {
    private struct State {
        var lastCommitMs: Int64?
        var acknowledged: LSN?
    }

    private let state = Mutex(State())

    public init() {}

    func committed(commitMs: Int64) {
        state.withLock { $0.lastCommitMs = max($0.lastCommitMs ?? commitMs, commitMs) }
    }

    func acknowledged(_ lsn: LSN) {
        state.withLock { $0.acknowledged = lsn }
    }

    /// Commit time (PostgreSQL) of the newest transaction, or write time of the newest heartbeat, streamed.
    public var lastCommitMs: Int64? { state.withLock { $0.lastCommitMs } }
    /// The LSN last reported to the server as durable.
    public var acknowledged: LSN? { state.withLock { $0.acknowledged } }
}
