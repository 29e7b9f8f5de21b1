import Metrics
import Shared
import Synchronization

/// What apply has done, per source table: for `/status`, and mirrored into metrics as it happens.
public final class ApplyStatistics: Sendable {
    public struct Table: Sendable, Hashable {
        public var inserts = 0
        public var updates = 0
        public var deletes = 0
        /// Conditional-check failures: the item already held this version or a newer one.
        public var noops = 0
        public var deadLettered = 0
        /// Records skipped under IGNORE_RECORD (`RecordErrorBehavior`).
        public var ignored = 0
        public var truncates = 0
        /// Commit time (PostgreSQL) of the newest record applied.
        public var lastCommitTimeMs: Int64?
    }

    private struct State {
        var tables: [String: Table] = [:]
        var problem: String?
        var consumerLag: [TopicPartition: Int64] = [:]
        var logicalMessages = 0
    }

    private let state = Mutex(State())
    /// Counters by label and dimensions, made once: creating one per write would cost a registry lookup each time.
    private let counters = Mutex([String: Counter]())

    public init() {}

    public var tables: [String: Table] { state.withLock { $0.tables } }

    /// Why apply is not making progress right now (an unreachable DynamoDB); nil when it is.
    public var currentProblem: String? { state.withLock { $0.problem } }

    func failing(_ problem: String?) {
        state.withLock { $0.problem = problem }
    }

    /// Counts the outcomes of a unit's writes: one lock and one counter update per (table, op, outcome), not per
    /// write — per write, the counter lookup alone cost ~3% of a bulk load's CPU.
    /// `outcomes[i]` is the outcome of `writes[i]`.
    func record(_ writes: [ItemWrite], outcomes: [WriteOutcome]) {
        var counts: [WriteCount: Int] = [:]
        var latestCommit: [String: Int64] = [:]
        // By index, reading fields in place: copying whole writes (each a handful of references) showed in profiles.
        for index in outcomes.indices {
            let applied: Bool
            switch outcomes[index] {
            case .applied: applied = true
            case .alreadyApplied: applied = false
            case .rejected: continue  // counted by `deadLettered`
            }
            let table = writes[index].sourceTable
            counts[WriteCount(table: table, op: writes[index].op, applied: applied), default: 0] += 1
            if applied { latestCommit[table] = max(latestCommit[table] ?? .min, writes[index].commitTimeMs) }
        }
        for (key, count) in counts {
            counter(
                "ferry_apply_writes_total",
                [("table", key.table), ("op", key.op.rawValue), ("outcome", key.applied ? "applied" : "noop")]
            ).increment(by: Int64(count))
        }
        state.withLock { state in
            for (key, count) in counts {
                var table = state.tables[key.table, default: Table()]
                switch (key.applied, key.op) {
                case (true, .read), (true, .create): table.inserts += count
                case (true, .update): table.updates += count
                case (true, .delete): table.deletes += count
                case (false, _): table.noops += count
                default: break
                }
                state.tables[key.table] = table
            }
            for (name, commit) in latestCommit {
                state.tables[name, default: Table()].lastCommitTimeMs = max(state.tables[name]?.lastCommitTimeMs ?? commit, commit)
            }
        }
    }

    /// What one `ferry_apply_writes_total` series counts.
    private struct WriteCount: Hashable {
        var table: String
        var op: Operation
        var applied: Bool
    }

    /// `table` is the source table, or the topic when the record could not be read.
    func deadLettered(table: String) {
        counter("ferry_apply_dead_lettered_total", [("table", table)]).increment()
        state.withLock { $0.tables[table, default: Table()].deadLettered += 1 }
    }

    /// A record the error behaviour said to skip (IGNORE_RECORD).
    func ignored(table: String) {
        counter("ferry_apply_ignored_total", [("table", table)]).increment()
        state.withLock { $0.tables[table, default: Table()].ignored += 1 }
    }

    /// Replaces the lag of this member's partitions (a rebalance may have changed which ones it holds).
    func consumerLag(_ lag: [TopicPartition: Int64]) {
        for (partition, messages) in lag {
            Gauge(
                label: "ferry_apply_consumer_lag_messages",
                dimensions: [("topic", partition.topic), ("partition", String(partition.partition))]
            ).record(Double(messages))
        }
        state.withLock { $0.consumerLag = lag }
    }

    /// The consumer lag of this member's partitions (those it held when last measured).
    public var consumerLagByPartition: [TopicPartition: Int64] { state.withLock { $0.consumerLag } }

    /// Debezium logical decoding messages (`op` `m`) read and skipped.
    public var logicalMessages: Int { state.withLock { $0.logicalMessages } }

    func skippedLogicalMessages(_ count: Int) {
        guard count > 0 else { return }
        counter("ferry_apply_logical_messages_skipped_total", []).increment(by: count)
        state.withLock { $0.logicalMessages += count }
    }

    func truncated(table: String) {
        counter("ferry_apply_truncates_total", [("table", table)]).increment()
        state.withLock { $0.tables[table, default: Table()].truncates += 1 }
    }

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        let key = ([label] + dimensions.map { "\($0.0)=\($0.1)" }).joined(separator: "\u{1F}")
        return counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: label, dimensions: dimensions)
            counters[key] = counter
            return counter
        }
    }

    /// Seconds from each table's last applied commit to now, for the latency gauge.
    func publishLatency(nowMs: Int64) {
        for (name, table) in tables {
            guard let commit = table.lastCommitTimeMs else { continue }
            Gauge(label: "ferry_apply_target_latency_seconds", dimensions: [("table", name)])
                .record(Double(nowMs - commit) / 1000)
        }
    }

    /// The `/status` document.
    public func statusDocument(prefix: String, group: String, nowMs: Int64) -> JSONValue {
        let tables = self.tables.sorted { $0.key < $1.key }.map { name, table -> (String, JSONValue) in
            (name, [
                "inserts": .integer(table.inserts), "updates": .integer(table.updates),
                "deletes": .integer(table.deletes), "noops": .integer(table.noops),
                "dead_lettered": .integer(table.deadLettered), "ignored": .integer(table.ignored),
                "truncates": .integer(table.truncates),
                "target_latency_ms": table.lastCommitTimeMs.map { .integer(nowMs - $0) } ?? .null,
            ])
        }
        let lag = state.withLock { $0.consumerLag }.sorted { $0.key.description < $1.key.description }
            .map { ($0.key.description, JSONValue.integer($0.value)) }
        return [
            "service": "apply", "prefix": .string(prefix), "group": .string(group),
            "problem": currentProblem.map { .string($0) } ?? .null,
            "tables": .object(JSONObject(tables)),
            "logical_messages_skipped": .integer(logicalMessages),
            "consumer_lag": .object(JSONObject(lag)),
        ]
    }
}
