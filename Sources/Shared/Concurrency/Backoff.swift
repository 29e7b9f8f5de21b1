/// Exponential backoff with jitter: each delay is random in [c/2, c] for c = min(maximum, initial × 2^attempt),
/// so restarting clients do not retry in lockstep.
public struct Backoff: Sendable {
    public var initial: Duration
    public var maximum: Duration
    private var attempt = 0

    public init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = maximum
    }

    public mutating func next() -> Duration {
        let ceiling = min(maximum, initial * (1 << min(attempt, 30)))
        attempt += 1
        let milliseconds = Int64(ceiling.components.seconds * 1000 + ceiling.components.attoseconds / 1_000_000_000_000_000)
        return .milliseconds(Int64.random(in: milliseconds / 2...max(milliseconds / 2, milliseconds)))
    }

    public mutating func reset() {
        attempt = 0
    }
}
