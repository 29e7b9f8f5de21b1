import Shared
import Synchronization

/// What capture has done so far, for logs and `/status`: per-table snapshot state and the stream's position.
public final class CaptureProgress: Sendable {
    public enum TableState: String, Sendable {
        case queued, loading, loaded, streaming
    }

    public struct Table: Sendable {
        public var name: String
        public var state: TableState
        public var rowsRead: Int = 0
        public var estimatedRows: Int64?
        public var startedMs: Int64?

        /// Snapshot progress in percent (nil when the table's size is unknown).
        public var percent: Double? {
            if state == .loaded || state == .streaming { return 100 }
            guard let estimatedRows, estimatedRows > 0 else { return nil }
            return min(99.9, Double(rowsRead) * 100 / Double(estimatedRows))
        }
    }

    private let tables = Mutex<[String: Table]>([:])
    public let stream = StreamProgress()

    public init() {}

    func plan(tables names: [String], snapshotting: [SourceTable]) {
        let loading = Dictionary(snapshotting.map { ($0.name.description, $0.estimatedRowCount) }, uniquingKeysWith: { first, _ in first })
        tables.withLock { tables in
            for name in names {
                tables[name] = Table(
                    name: name, state: loading.keys.contains(name) ? .queued : .streaming, estimatedRows: loading[name] ?? nil)
            }
        }
    }

    func started(_ name: String) {
        tables.withLock {
            $0[name]?.state = .loading
            $0[name]?.startedMs = WallClock.nowMs()
        }
    }

    func read(_ name: String, rows: Int) {
        tables.withLock { $0[name]?.rowsRead += rows }
    }

    func completed(_ name: String, rows: Int) {
        tables.withLock {
            $0[name]?.state = .loaded
            $0[name]?.rowsRead = rows
        }
    }

    /// Every table, sorted by name.
    public var snapshot: [Table] { tables.withLock { $0.values.sorted { $0.name < $1.name } } }
}
