/// A token bucket of write capacity units, filled at `rate` units per second and holding at most one second's worth
/// (at least 1 unit), as the AWS SDKs' adaptive retry mode holds one second of requests.
///
/// A reservation takes its units at once, even beyond what the bucket holds: the balance goes negative and the
/// caller waits until the fill has paid the debt back. So an item costing more than a second's capacity (a 400 KB
/// item is 400 units) is still sent, and concurrent writers are served in the order they asked. Pure: the caller
/// passes the time (seconds on a monotonic clock).
struct WriteCapacityBucket: Sendable, Equatable {
    /// Units per second; never below `minimumRate`, so a debt is always paid off.
    private(set) var rate: Double
    /// Units available now; negative while reservations wait for the fill.
    private(set) var balance: Double
    private var lastFill: Double?

    /// The slowest rate the bucket goes (the SDKs' 0.5 requests per second, here units).
    static let minimumRate = 0.5

    init(rate: Double) {
        self.rate = max(rate, Self.minimumRate)
        self.balance = 0
    }

    /// What the bucket holds at most: one second of fill.
    var capacity: Double { max(rate, 1) }

    /// Takes `units` at `now` and returns the seconds the caller must wait before sending (0 when they were there).
    mutating func reserve(_ units: Double, at now: Double) -> Double {
        fill(to: now)
        balance -= units
        return balance >= 0 ? 0 : -balance / rate
    }

    /// A new fill rate from `now` on. What was filled so far is kept, cut down to the new capacity.
    mutating func setRate(_ newRate: Double, at now: Double) {
        fill(to: now)
        rate = max(newRate, Self.minimumRate)
        balance = min(balance, capacity)
    }

    /// Gives up what the bucket holds (a debt stays): a throttled table has no burst left, so the writes that follow
    /// (the throttled ones' retries first) go at the new rate instead of spending a burst the table no longer has.
    mutating func drain(at now: Double) {
        fill(to: now)
        balance = min(balance, 0)
    }

    private mutating func fill(to now: Double) {
        if let lastFill, now > lastFill {
            balance = min(capacity, balance + (now - lastFill) * rate)
        }
        lastFill = max(lastFill ?? now, now)
    }
}
