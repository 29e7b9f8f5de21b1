import Metrics
import Shared

/// Capture's Prometheus metrics (through swift-metrics), refreshed from `CaptureProgress` once a second.
struct CaptureMetrics {
    private let records: [Operation: Counter]
    private var reported: [Operation: Int] = [:]
    private let acknowledgedLSN = Gauge(label: "ferry_capture_acknowledged_lsn")
    private let sourceLatency = Gauge(label: "ferry_capture_source_latency_seconds")
    private let slotLag = Gauge(label: "ferry_capture_slot_lag_bytes")
    private let fullLoadPercent = Gauge(label: "ferry_capture_full_load_progress_percent")
    /// Per table: chunks an incremental snapshot loaded, and rows read.
    private var snapshotGauges: [String: (chunks: Gauge, rows: Gauge)] = [:]

    init() {
        records = Dictionary(
            uniqueKeysWithValues: Operation.allCases.map { ($0, Counter(label: "ferry_capture_records_total", dimensions: [("op", $0.rawValue)])) })
    }

    mutating func update(from progress: CaptureProgress) {
        for (op, total) in progress.recordCounts {
            let delta = total - (reported[op] ?? 0)
            if delta > 0 { records[op]?.increment(by: delta) }
            reported[op] = total
        }
        if let lsn = progress.stream.acknowledged { acknowledgedLSN.record(Double(lsn.rawValue)) }
        if let commitMs = progress.stream.lastCommitMs { sourceLatency.record(Double(WallClock.nowMs() - commitMs) / 1000) }
        if let lag = progress.slotLagBytes { slotLag.record(lag) }
        let percents = progress.snapshot.compactMap(\.percent)
        if !percents.isEmpty { fullLoadPercent.record(percents.reduce(0, +) / Double(percents.count)) }
        for table in progress.snapshot where table.chunks > 0 || snapshotGauges[table.name] != nil {
            let gauges = snapshotGauges[table.name] ?? (
                Gauge(label: "ferry_capture_snapshot_chunks", dimensions: [("table", table.name)]),
                Gauge(label: "ferry_capture_snapshot_rows", dimensions: [("table", table.name)])
            )
            snapshotGauges[table.name] = gauges
            gauges.chunks.record(table.chunks)
            gauges.rows.record(table.rowsRead)
        }
    }
}
