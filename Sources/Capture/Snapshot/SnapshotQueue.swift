import Synchronization

/// The tables still to snapshot, handed out one at a time to the snapshot workers.
final class SnapshotQueue: Sendable {
    private let remaining: Mutex<[SourceTable]>

    /// Largest tables first, so the long ones start early and workers finish together.
    init(_ tables: [SourceTable]) {
        remaining = Mutex(tables.sorted { $0.totalBytes < $1.totalBytes })
    }

    func next() -> SourceTable? {
        remaining.withLock { $0.popLast() }
    }
}
