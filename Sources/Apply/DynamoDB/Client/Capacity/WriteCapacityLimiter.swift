import Foundation
import Logging
import Synchronization

/// Spends each table's write capacity at the rate its `WriteCapacityPolicy` allows, for every write of one client
/// (so for all of an apply's writers at once): a `WriteCapacityBucket` per table, filled at the table's ceiling or,
/// in adaptive mode, at the rate its `WriteRateEstimator` finds (never above the ceiling).
///
/// The client reserves a request's units before each attempt and waits out the bucket's debt; it reports each
/// answer back, throttled or not, which is what the estimator learns from.
final class WriteCapacityLimiter: Sendable {
    private struct Table: Sendable {
        var bucket: WriteCapacityBucket?
        var estimator: WriteRateEstimator?
    }

    let policy: WriteCapacityPolicy
    private let tables = Mutex<[String: Table]>([:])
    private let logger: Logger
    /// Seconds on a monotonic clock.
    private let now: @Sendable () -> Double
    private let sleep: @Sendable (Duration) async throws -> Void

    init(
        policy: WriteCapacityPolicy, logger: Logger,
        now: @escaping @Sendable () -> Double = WriteCapacityLimiter.monotonicSeconds(),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.policy = policy
        self.logger = logger
        self.now = now
        self.sleep = sleep
    }

    /// A clock reading seconds since it was made.
    static func monotonicSeconds() -> @Sendable () -> Double {
        let origin = ContinuousClock.now
        return { (ContinuousClock.now - origin).seconds }
    }

    /// Takes `cost` from its tables' buckets, waits until they have filled up to it, and returns the moment it was
    /// scheduled (to pass to `record`): a request scheduled before a cut was paced by the old rate, so its throttle
    /// says nothing about the new one.
    func acquire(_ cost: WriteCapacityCost) async throws -> Double {
        let time = now()
        let wait = tables.withLock { tables in
            cost.reduce(0.0) { longest, entry in
                let delay = tables[entry.key, default: makeTable(entry.key, at: time)].bucket?
                    .reserve(entry.value, at: time) ?? 0
                return max(longest, delay)
            }
        }
        if wait > 0 { try await sleep(.nanoseconds(Int64(wait * 1e9))) }
        return time
    }

    /// Reports the answer to a request of `cost` scheduled at `scheduledAt`; `throttled` are the tables that refused (some)
    /// of it for lack of capacity. Adaptive mode moves those tables' rates.
    func record(_ cost: WriteCapacityCost, throttled: Set<String>, scheduledAt: Double) {
        guard policy.adaptive else { return }
        let time = now()
        let lowered: [(table: String, rate: Double)] = tables.withLock { tables in
            var lowered: [(String, Double)] = []
            for (table, units) in cost {
                var entry = tables[table] ?? makeTable(table, at: time)
                let isThrottled = throttled.contains(table)
                let before = entry.estimator?.rate
                let estimate = entry.estimator?.record(
                    units: units, throttled: isThrottled, scheduledAt: scheduledAt, now: time, limit: entry.bucket?.rate)
                let rate = min(estimate ?? .infinity, policy.maximum(for: table) ?? .infinity)
                if rate.isFinite {
                    if entry.bucket == nil { entry.bucket = WriteCapacityBucket(rate: rate) }
                    entry.bucket?.setRate(rate, at: time)
                }
                if isThrottled, let estimate, estimate != before {
                    entry.bucket?.drain(at: time)
                    lowered.append((table, estimate))
                }
                tables[table] = entry
            }
            return lowered
        }
        for (table, rate) in lowered {
            logger.info("DynamoDB throttled writes; write rate lowered", metadata: [
                "dynamodb.table": "\(table)", "write_capacity_per_second": "\(Int(rate.rounded()))",
            ])
        }
    }

    /// The rate a table's writes are held to now; nil: none.
    func rate(of table: String) -> Double? {
        tables.withLock { $0[table]?.bucket?.rate }
    }

    private func makeTable(_ name: String, at time: Double) -> Table {
        Table(
            bucket: policy.maximum(for: name).map(WriteCapacityBucket.init(rate:)),
            estimator: policy.adaptive ? WriteRateEstimator(now: time) : nil)
    }
}
