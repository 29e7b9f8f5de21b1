import Apply
import Metrics
import Shared
import Synchronization

/// What a periodic `ferry validate` found, run after run: for `/status` and `/health`, and mirrored into metrics
/// (per table: rows compared, differences by kind, tolerated, truncated, last run time and duration; per run:
/// duration and outcome).
public final class ValidationStatistics: Sendable {
    private struct State {
        var runs = 0
        var validating = false
        var lastRunStartedMs: Int64?
        var lastRunSeconds: Double?
        var lastOutcome: String?
        /// Why the last run failed, until one succeeds.
        var problem: String?
        var nextRunMs: Int64?
        var tables: [String: TableReport] = [:]
        var tableRunMs: [String: Int64] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Why validation is not giving answers right now (the last run failed); nil when it is.
    public var currentProblem: String? { state.withLock { $0.problem } }

    func started(atMs now: Int64) {
        state.withLock {
            $0.validating = true
            $0.lastRunStartedMs = now
            $0.nextRunMs = nil
        }
    }

    func finished(_ report: ValidationReport, duration: Duration, atMs now: Int64) {
        for table in report.tables {
            let dimensions = [("table", table.table.description)]
            Gauge(label: "ferry_validate_rows_compared", dimensions: dimensions).record(table.compared)
            // A sample finds no extra items: no `extra` sample rather than a 0 it does not know.
            let kinds = [("missing", table.missing), ("extra", table.extra), ("differing", table.differing)]
            for case (let kind, let count?) in kinds {
                Gauge(label: "ferry_validate_differences", dimensions: dimensions + [("kind", kind)]).record(count)
            }
            Gauge(label: "ferry_validate_tolerated", dimensions: dimensions).record(table.tolerated)
            Gauge(label: "ferry_validate_truncated", dimensions: dimensions).record(table.truncated)
            Gauge(label: "ferry_validate_last_run_timestamp_seconds", dimensions: dimensions).record(Double(now) / 1000)
            Gauge(label: "ferry_validate_table_duration_seconds", dimensions: dimensions).record(table.duration.seconds)
        }
        Gauge(label: "ferry_validate_run_duration_seconds").record(duration.seconds)
        ended(outcome: report.isClean ? "ok" : "diff", duration: duration) { state in
            state.problem = nil
            for table in report.tables {
                state.tables[table.table.description] = table
                state.tableRunMs[table.table.description] = now
            }
        }
    }

    func failed(_ reason: String, duration: Duration) {
        ended(outcome: "failed", duration: duration) { $0.problem = reason }
    }

    func waiting(untilMs next: Int64) {
        state.withLock { $0.nextRunMs = next }
    }

    private func ended(outcome: String, duration: Duration, _ update: (inout State) -> Void) {
        state.withLock { state in
            state.runs += 1
            state.validating = false
            state.lastOutcome = outcome
            state.lastRunSeconds = duration.seconds
            update(&state)
        }
        // Counted after /health and /status know the outcome: whoever sees the count sees the state that goes with it.
        Counter(label: "ferry_validate_runs_total", dimensions: [("outcome", outcome)]).increment()
    }

    /// The `/status` document: the last run's outcome and each table's findings as of its last successful run.
    public func statusDocument(period: Duration) -> JSONValue {
        state.withLock { state in
            let tables = state.tables.sorted { $0.key < $1.key }.map { name, table -> (String, JSONValue) in
                (name, [
                    "target_table": .string(table.targetTable), "status": .string(table.statusWord),
                    "compared": .integer(table.compared), "missing": .integer(table.missing),
                    "extra": table.extra.map { .integer($0) } ?? .null, "differing": .integer(table.differing),
                    "tolerated": .integer(table.tolerated), "truncated": .integer(table.truncated),
                    "stopped_at_failure_limit": .bool(table.stoppedAtFailureLimit),
                    "validated_at_ms": state.tableRunMs[name].map { .integer(Int($0)) } ?? .null,
                ])
            }
            return [
                "service": "validate", "period_seconds": .integer(Int(period.components.seconds)),
                "state": state.validating ? "validating" : "waiting", "runs": .integer(state.runs),
                "last_run": [
                    "started_at_ms": state.lastRunStartedMs.map { .integer(Int($0)) } ?? .null,
                    "duration_seconds": state.lastRunSeconds.map { .number(String($0)) } ?? .null,
                    "outcome": state.lastOutcome.map { .string($0) } ?? .null,
                ],
                "next_run_at_ms": state.nextRunMs.map { .integer(Int($0)) } ?? .null,
                "problem": state.problem.map { .string($0) } ?? .null,
                "tables": .object(JSONObject(tables)),
            ]
        }
    }
}

