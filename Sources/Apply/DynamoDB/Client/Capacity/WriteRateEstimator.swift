import Foundation

/// Finds the write rate a table sustains from its throttling answers, as the AWS SDKs' "adaptive" retry mode does
/// (botocore's `retries/adaptive.py` and `throttling.py`): a CUBIC window over the send rate.
///
/// - The send rate is measured in half-second buckets, smoothed (0.8 of the newest bucket).
/// - A throttle makes the rate at that moment the new ceiling (`wMax`) and drops the rate to 0.7 of it.
/// - Without throttles the rate follows `0.4 (t − k)³ + wMax` from the last throttle: back up to `wMax` in `k`
///   seconds (concave), then probing above it (convex) — never more than twice the measured rate.
///
/// One difference from the SDKs: a throttle lowers the rate only if its request was scheduled (by the bucket) after
/// the last lowering, i.e. paced by the lowered rate.
/// With many writes in flight, the SDKs cut the rate once per throttled answer (0.7ⁿ for n answers of one
/// burst); like TCP, which reduces its window once per round trip, only the first answer of a burst counts here.
///
/// Pure: the caller passes the time (seconds on a monotonic clock). The rate is in the units the caller records
/// (write capacity units).
struct WriteRateEstimator: Sendable, Equatable {
    static let smoothing = 0.8
    static let bucketSeconds = 0.5
    static let scale = 0.4
    static let beta = 0.7
    /// How far above the measured send rate the rate may go.
    static let maximumRateGrowth = 2.0

    /// The rate the writes should keep; nil until the first throttle (no limit before it, as in the SDKs).
    private(set) var rate: Double?
    /// The smoothed send rate.
    private(set) var measuredRate = 0.0
    private var countInBucket = 0.0
    private var currentBucket: Double
    private var wMax = 0.0
    private var lastThrottle: Double
    private var k = 0.0

    init(now: Double) {
        currentBucket = Self.bucket(of: now)
        lastThrottle = now
    }

    /// Records an answer to a request of `units` scheduled at `scheduledAt`, received at `now`, and returns the new rate.
    /// `limit` is the rate the bucket enforced at the time (nil: none) and caps the new ceiling.
    @discardableResult
    mutating func record(units: Double, throttled: Bool, scheduledAt: Double, now: Double, limit: Double?) -> Double? {
        measure(units, at: now)
        if throttled {
            guard rate == nil || scheduledAt >= lastThrottle else { return rate }
            let ceiling = min(measuredRate, limit ?? .infinity)
            wMax = ceiling
            k = Self.zeroPoint(wMax)
            lastThrottle = now
            rate = ceiling * Self.beta
        } else if rate != nil {
            let elapsed = now - lastThrottle - k
            rate = min(Self.scale * elapsed * elapsed * elapsed + wMax, Self.maximumRateGrowth * measuredRate)
        }
        if let current = rate { rate = max(current, WriteCapacityBucket.minimumRate) }
        return rate
    }

    /// The seconds CUBIC takes from `beta × wMax` back to `wMax`.
    private static func zeroPoint(_ wMax: Double) -> Double {
        cbrt(wMax * (1 - beta) / scale)
    }

    private static func bucket(of time: Double) -> Double {
        (time / bucketSeconds).rounded(.down) * bucketSeconds
    }

    private mutating func measure(_ units: Double, at now: Double) {
        countInBucket += units
        let bucket = Self.bucket(of: now)
        guard bucket > currentBucket else { return }
        let current = countInBucket / (bucket - currentBucket)
        measuredRate = current * Self.smoothing + measuredRate * (1 - Self.smoothing)
        countInBucket = 0
        currentBucket = bucket
    }
}
