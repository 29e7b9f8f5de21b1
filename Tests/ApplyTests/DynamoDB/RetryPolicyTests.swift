import Testing

@testable import Apply

@Suite("Retry policy: full-jitter exponential backoff")
struct RetryPolicyTests {
    func policy(random: Double) -> RetryPolicy {
        RetryPolicy(
            maxAttempts: 5, baseDelay: .milliseconds(100), maxDelay: .seconds(2),
            randomFraction: { random }, sleep: { _ in }
        )
    }

    @Test func theCeilingDoublesPerRetryUpToTheMaximum() {
        let almostOne = policy(random: 0.999_999)
        let ceilings = (1...7).map { almostOne.delay(beforeRetry: $0) }
        let expected: [Duration] = [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800),
                                    .milliseconds(1600), .seconds(2), .seconds(2)]
        for (delay, ceiling) in zip(ceilings, expected) {
            #expect(delay <= ceiling)
            #expect(delay >= ceiling * 0.999)
        }
    }

    @Test func theDelayIsTheRandomFractionOfTheCeiling() {
        #expect(policy(random: 0).delay(beforeRetry: 3) == .zero)
        #expect(policy(random: 0.5).delay(beforeRetry: 3) == .milliseconds(200))
        #expect(policy(random: 0.25).delay(beforeRetry: 1) == .milliseconds(25))
    }

    @Test func outOfRangeRandomAndHugeRetryNumbersStayInBounds() {
        #expect(policy(random: 7).delay(beforeRetry: 1) == .milliseconds(100))
        #expect(policy(random: -1).delay(beforeRetry: 1) == .zero)
        #expect(policy(random: 0.5).delay(beforeRetry: 10_000) == .seconds(1))
    }

    @Test func realRandomDelaysStayWithinTheCeiling() {
        let real = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(100), maxDelay: .seconds(2))
        for retry in 1...8 {
            let ceiling = min(Duration.milliseconds(100) * (1 << (retry - 1)), .seconds(2))
            for _ in 0..<50 {
                let delay = real.delay(beforeRetry: retry)
                #expect(delay >= .zero && delay <= ceiling)
            }
        }
    }

    @Test func attemptsAreBounded() {
        let limited = policy(random: 0)
        #expect(limited.allowsRetry(after: 4))
        #expect(!limited.allowsRetry(after: 5))
        #expect(RetryPolicy(maxAttempts: 0).maxAttempts == 1)
    }
}
