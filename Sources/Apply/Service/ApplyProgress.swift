import Logging
import Shared

/// The progress lines apply logs every 5 s, as capture does: for each table that applied something since the
/// last line or still has records to read, items written per second, no-ops, dead letters, its consumer lag (this
/// member's partitions) and its target latency. An idle, caught-up table logs nothing.
struct ApplyProgress {
    static let interval: Duration = .seconds(5)

    /// One line's metadata per table, in table order.
    static func lines(
        previous: [String: ApplyStatistics.Table], current: [String: ApplyStatistics.Table], lag: [String: Int64],
        seconds: Int, nowMs: Int64
    ) -> [Logger.Metadata] {
        Set(current.keys).union(lag.keys).sorted().compactMap { name in
            let now = current[name] ?? ApplyStatistics.Table()
            let before = previous[name] ?? ApplyStatistics.Table()
            let written = (now.inserts + now.updates + now.deletes) - (before.inserts + before.updates + before.deletes)
            let noops = now.noops - before.noops
            let deadLettered = now.deadLettered - before.deadLettered
            let tableLag = lag[name]
            guard written > 0 || noops > 0 || deadLettered > 0 || (tableLag ?? 0) > 0 else { return nil }
            return [
                "table": "\(name)", "items_per_second": "\(written / max(seconds, 1))", "noops": "\(noops)",
                "dead_lettered": "\(deadLettered)", "consumer_lag": "\(tableLag.map(String.init) ?? "n/a")",
                "target_latency_ms": "\(now.lastCommitTimeMs.map { String(nowMs - $0) } ?? "n/a")",
            ]
        }
    }

    let statistics: ApplyStatistics
    let options: ApplyOptions
    let logger: Logger

    /// Logs the lines every `interval` until cancelled.
    func run() async {
        var previous = statistics.tables
        let seconds = Int(Self.interval.components.seconds)
        while !Task.isCancelled {
            try? await Task.sleep(for: Self.interval)
            let current = statistics.tables
            var lag: [String: Int64] = [:]
            for (partition, messages) in statistics.consumerLagByPartition {
                lag[options.sourceTable(ofTopic: partition.topic), default: 0] += messages
            }
            for line in Self.lines(previous: previous, current: current, lag: lag, seconds: seconds, nowMs: WallClock.nowMs()) {
                logger.info("apply progress", metadata: line)
            }
            previous = current
        }
    }
}
