/// How often and how patiently a failed request is tried again: exponential backoff with "full jitter"
/// (a delay drawn uniformly from zero to the exponential ceiling), which spreads a crowd of throttled writers
/// out better than a fixed or half-jittered delay.
///
/// The random source and the sleeper are injectable so tests can check the bounds and run without waiting.
public struct RetryPolicy: Sendable {
    /// Attempts in total, the first included; 1 disables retries.
    public var maxAttempts: Int
    /// The ceiling of the first retry's delay; it doubles with every retry.
    public var baseDelay: Duration
    /// The largest ceiling.
    public var maxDelay: Duration
    /// A number in [0, 1).
    var randomFraction: @Sendable () -> Double
    var sleep: @Sendable (Duration) async throws -> Void

    public init(
        maxAttempts: Int = 8,
        baseDelay: Duration = .milliseconds(50),
        maxDelay: Duration = .seconds(10)
    ) {
        self.init(
            maxAttempts: maxAttempts, baseDelay: baseDelay, maxDelay: maxDelay,
            randomFraction: { Double.random(in: 0..<1) },
            sleep: { try await Task.sleep(for: $0) }
        )
    }

    init(
        maxAttempts: Int,
        baseDelay: Duration,
        maxDelay: Duration,
        randomFraction: @escaping @Sendable () -> Double,
        sleep: @escaping @Sendable (Duration) async throws -> Void
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.randomFraction = randomFraction
        self.sleep = sleep
    }

    /// The delay before retry number `retry` (1 for the first retry):
    /// uniform in [0, min(maxDelay, base × 2^(retry−1))].
    public func delay(beforeRetry retry: Int) -> Duration {
        let doublings = min(max(retry - 1, 0), 62)
        let growth = Double(sign: .plus, exponent: doublings, significand: 1)
        let ceiling = min(maxDelay.seconds, baseDelay.seconds * growth)
        let fraction = min(max(randomFraction(), 0), 1)
        return .nanoseconds(Int64((ceiling * fraction * 1e9).rounded(.down)))
    }

    /// Whether another attempt is allowed after `attempt` attempts were made.
    func allowsRetry(after attempt: Int) -> Bool {
        attempt < maxAttempts
    }
}

extension Duration {
    /// In seconds, with the fraction.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
