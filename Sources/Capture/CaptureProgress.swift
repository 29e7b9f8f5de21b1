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
        /// Chunks an incremental snapshot has loaded (this run and, resumed, before it).
        public var chunks: Int = 0

        /// Snapshot progress in percent (nil when the table's size is unknown).
        public var percent: Double? {
            if state == .loaded || state == .streaming { return 100 }
            guard let estimatedRows, estimatedRows > 0 else { return nil }
            return min(99.9, Double(rowsRead) * 100 / Double(estimatedRows))
        }
    }

    /// The whole full load's progress, as DMS's FullLoadProgressPercent: tables weighted by their (estimated) row
    /// counts, so a small table finishing first does not count as much as a large one. Nil while a table's size is
    /// unknown.
    static func fullLoadPercent(_ tables: [Table]) -> Double? {
        var done = 0.0
        var total = 0.0
        for table in tables {
            guard let percent = table.percent else { return nil }
            let weight = Double(max(table.estimatedRows ?? 0, Int64(table.rowsRead), 1))
            done += percent * weight
            total += weight
        }
        return tables.isEmpty ? nil : done / total
    }

    private let tables = Mutex<[String: Table]>([:])
    private let records = Mutex<[Operation: Int]>([:])
    /// The problem `/health` reports (nil while running), consecutive failed attempts, and the last one's error.
    private let health = Mutex<(problem: String?, retryAttempt: Int, lastError: String?)>((nil, 0, nil))
    private let slotLag = Mutex<Int64?>(nil)
    public let stream = StreamProgress()

    public init() {}

    func published(_ counts: [Operation: Int]) {
        records.withLock { total in
            for (op, count) in counts { total[op, default: 0] += count }
        }
    }

    /// Set when capture stops for good, nil once an attempt runs again (which ends a run of retries).
    func failing(_ description: String?) {
        health.withLock { health in
            health.problem = description
            if description == nil { health.retryAttempt = 0 }
            if let description { health.lastError = description }
        }
    }

    /// An attempt failed and capture retries: returns the attempt's number in the current run of retries.
    func retrying(after error: String) -> Int {
        health.withLock { health in
            health.retryAttempt += 1
            health.lastError = error
            health.problem = "retrying (attempt \(health.retryAttempt)): \(error)"
            return health.retryAttempt
        }
    }

    func slotLagBytes(_ bytes: Int64?) {
        slotLag.withLock { $0 = bytes }
    }

    /// Records produced so far, by operation.
    public var recordCounts: [Operation: Int] { records.withLock { $0 } }
    public var currentProblem: String? { health.withLock { $0.problem } }
    /// Failed attempts since capture last ran (0 while it runs).
    public var retryAttempt: Int { health.withLock { $0.retryAttempt } }
    public var lastError: String? { health.withLock { $0.lastError } }
    public var slotLagBytes: Int64? { slotLag.withLock { $0 } }

    /// The `/status` document: per-table snapshot state and progress, totals in DMS's vocabulary, stream position.
    public func statusDocument(prefix: String, slot: String) -> JSONValue {
        let tables = snapshot
        let counts = recordCounts
        let overall = Self.fullLoadPercent(tables)
        func count(_ state: TableState...) -> JSONValue { .integer(tables.filter { state.contains($0.state) }.count) }
        let latency = stream.lastCommitMs.map { WallClock.nowMs() - $0 }
        return .object([
            "service": "capture", "version": .string(FerryVersion.current), "prefix": .string(prefix), "slot": .string(slot),
            "healthy": .bool(currentProblem == nil), "problem": currentProblem.map(JSONValue.string) ?? .null,
            "retry_attempt": .integer(retryAttempt), "last_error": lastError.map(JSONValue.string) ?? .null,
            "full_load_progress_percent": overall.map { .number(exactly: String(format: "%.1f", $0)) ?? .null } ?? .null,
            "tables_loaded": count(.loaded, .streaming), "tables_loading": count(.loading), "tables_queued": count(.queued),
            "tables_errored": 0,
            "tables": .array(tables.map { table in
                .object([
                    "table": .string(table.name), "state": .string(table.state.rawValue),
                    "rows": .integer(table.rowsRead), "chunks": .integer(table.chunks), "estimated_rows": table.estimatedRows.map { .integer($0) } ?? .null,
                    "percent": table.percent.map { .number(exactly: String(format: "%.1f", $0)) ?? .null } ?? .null,
                ])
            }),
            "records": .object(JSONObject(Operation.allCases.map { ($0.rawValue, JSONValue.integer(counts[$0] ?? 0)) })),
            "acknowledged_lsn": stream.acknowledged.map { .string($0.description) } ?? .null,
            "last_commit_ms": stream.lastCommitMs.map { .integer($0) } ?? .null,
            "source_latency_ms": latency.map { .integer($0) } ?? .null,
            "slot_lag_bytes": slotLagBytes.map { .integer($0) } ?? .null,
        ])
    }

    func plan(tables names: [String], snapshotting: [SourceTable]) {
        let loading = Dictionary(snapshotting.map { ($0.name.description, $0.estimatedRowCount) }, uniquingKeysWith: { first, _ in first })
        tables.withLock { tables in
            for name in names {
                tables[name] = Table(
                    name: name, state: loading.keys.contains(name) ? .queued : .streaming, estimatedRows: loading[name] ?? nil)
            }
        }
    }

    /// A chunk of the table started (the first one starts the table).
    func started(_ name: String) {
        tables.withLock {
            guard $0[name]?.state == .queued else { return }
            $0[name]?.state = .loading
            $0[name]?.startedMs = WallClock.nowMs()
        }
    }

    func read(_ name: String, rows: Int, chunk: Bool = false) {
        tables.withLock {
            $0[name]?.rowsRead += rows
            if chunk { $0[name]?.chunks += 1 }
        }
    }

    /// An incremental snapshot of the table starts, or resumes having read `rows` rows before.
    func resumed(_ name: String, rows: Int) {
        tables.withLock {
            if $0[name] == nil { $0[name] = Table(name: name, state: .queued) }
            $0[name]?.state = .loading
            $0[name]?.rowsRead = rows
            $0[name]?.chunks = 0
            $0[name]?.startedMs = WallClock.nowMs()
        }
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
