import Logging
import Synchronization
import Testing

@testable import Apply

@Suite("Write capacity: the limiter, the units and the option")
struct WriteCapacityLimiterTests {
    /// A clock that moves only when the limiter sleeps, recording each sleep.
    final class VirtualClock: Sendable {
        let state = Mutex<(now: Double, sleeps: [Double])>((0, []))
        var now: Double { state.withLock { $0.now } }
        var sleeps: [Double] { state.withLock { $0.sleeps } }
        func advance(_ seconds: Double) { state.withLock { $0.now += seconds } }

        func limiter(_ policy: WriteCapacityPolicy) -> WriteCapacityLimiter {
            WriteCapacityLimiter(
                policy: policy, logger: Logger(label: "test"), now: { self.now },
                sleep: { duration in
                    self.state.withLock { $0.now += duration.seconds; $0.sleeps.append(duration.seconds) }
                })
        }
    }

    @Test func eachTableHasItsOwnCeiling() async throws {
        let clock = VirtualClock()
        let limiter = clock.limiter(WriteCapacityPolicy(maximum: 10, perTable: ["big": 100]))
        for _ in 0..<20 { _ = try await limiter.acquire(["small": 1]) }
        #expect(abs(clock.now - 2) < 1e-6)  // 20 units at 10 per second
        let before = clock.now
        for _ in 0..<20 { _ = try await limiter.acquire(["big": 1]) }
        #expect(abs(clock.now - before - 0.2) < 1e-6)  // 20 units at 100 per second
        #expect(limiter.rate(of: "small") == 10)
        #expect(limiter.rate(of: "big") == 100)
    }

    @Test func aRequestOverTwoTablesWaitsForTheSlowerOne() async throws {
        let clock = VirtualClock()
        let limiter = clock.limiter(WriteCapacityPolicy(perTable: ["a": 10, "b": 2]))
        let scheduledAt = try await limiter.acquire(["a": 5, "b": 4])
        #expect(scheduledAt == 0)
        #expect(abs(clock.now - 2) < 1e-6)
        #expect(limiter.rate(of: "c") == nil)  // no ceiling for tables the policy does not name
    }

    @Test func adaptiveModeHoldsNothingBackUntilAThrottleThenLowersTheRate() async throws {
        let clock = VirtualClock()
        let limiter = clock.limiter(WriteCapacityPolicy(adaptive: true))
        for _ in 0..<400 {
            let scheduledAt = try await limiter.acquire(["t": 1])
            limiter.record(["t": 1], throttled: [], scheduledAt: scheduledAt)
            clock.advance(0.01)  // 100 units a second
        }
        #expect(clock.sleeps.isEmpty)
        #expect(limiter.rate(of: "t") == nil)
        let scheduledAt = try await limiter.acquire(["t": 1])
        limiter.record(["t": 1], throttled: ["t"], scheduledAt: scheduledAt)
        let lowered = try #require(limiter.rate(of: "t"))
        #expect(lowered > 60 && lowered < 75)  // 0.7 of the ~100 units a second sent
        // Other answers of requests sent before the cut do not cut it again.
        limiter.record(["t": 1], throttled: ["t"], scheduledAt: scheduledAt - 0.05)
        #expect(limiter.rate(of: "t") ?? 0 >= lowered - 0.001)
    }

    @Test func adaptiveModeStaysUnderTheCeiling() async throws {
        let clock = VirtualClock()
        let limiter = clock.limiter(WriteCapacityPolicy(maximum: 50, adaptive: true))
        for _ in 0..<2000 {
            let scheduledAt = try await limiter.acquire(["t": 1])
            limiter.record(["t": 1], throttled: [], scheduledAt: scheduledAt)
        }
        #expect(limiter.rate(of: "t") == 50)
        #expect(clock.now > 39 && clock.now < 41)
    }

    @Test func aThrottleEmptiesTheBucketSoTheNextWritesWaitForTheNewRate() async throws {
        let clock = VirtualClock()
        let limiter = clock.limiter(WriteCapacityPolicy(maximum: 100, adaptive: true))
        for _ in 0..<200 {
            let scheduledAt = try await limiter.acquire(["t": 1])
            limiter.record(["t": 1], throttled: [], scheduledAt: scheduledAt)
        }
        clock.advance(1)  // idle: the bucket fills up to one second (100 units)
        let scheduledAt = try await limiter.acquire(["t": 1])
        #expect(clock.now == scheduledAt)
        limiter.record(["t": 1], throttled: ["t"], scheduledAt: scheduledAt)
        let rate = try #require(limiter.rate(of: "t"))
        let before = clock.now
        _ = try await limiter.acquire(["t": 1])
        #expect(abs(clock.now - before - 1 / rate) < 1e-6)
    }

    /// The limiter against a simulated table that admits `capacity` units a second (holding one second's worth, as
    /// `scripts/fault-proxy.py --capacity` does) and throttles above it; one writer sending as fast as the limiter
    /// lets it, answers instant. Once settled, it writes at ≥ 0.9 of the capacity and ≤ 5% of its requests are
    /// throttled.
    @Test(arguments: [20.0, 100.0, 1000.0])
    func adaptiveModeSettlesNearTheTablesCapacity(capacity: Double) async throws {
        let clock = VirtualClock()
        let limiter = clock.limiter(WriteCapacityPolicy(adaptive: true))
        var table = WriteCapacityBucket(rate: capacity)
        var (admitted, sent, throttled) = (0.0, 0.0, 0.0)
        let settled = 60.0
        let units = max(1, (capacity / 100).rounded())
        while clock.now < 180 {
            let scheduledAt = try await limiter.acquire(["t": units])
            let sentAt = clock.now
            let admit = table.reserve(units, at: sentAt) == 0
            if !admit { _ = table.reserve(-units, at: sentAt) }  // refused: the table keeps its capacity
            limiter.record(["t": units], throttled: admit ? [] : ["t"], scheduledAt: scheduledAt)
            if limiter.rate(of: "t") == nil { clock.advance(1 / (capacity * 4)) }  // unlimited: 4 × the capacity
            if sentAt >= settled {
                sent += 1
                if admit { admitted += units } else { throttled += 1 }
            }
        }
        let achieved = admitted / (clock.now - settled)
        #expect(achieved >= 0.9 * capacity, "\(achieved) of \(capacity)")
        #expect(throttled / sent <= 0.05, "\(throttled) of \(sent) throttled")
    }

    @Test func unitsAreCountedPerStartedKilobyteAndDoubledInATransaction() {
        let small: DynamoDBItem = ["id": .s("1"), "v": .s(String(repeating: "x", count: 1000))]
        let large: DynamoDBItem = ["id": .s("1"), "v": .s(String(repeating: "x", count: 1030))]
        #expect(PutItemInput(tableName: "t", item: small).writeCapacityUnits == 1)
        #expect(PutItemInput(tableName: "t", item: large).writeCapacityUnits == 2)
        #expect(DeleteItemInput(tableName: "t", key: ["id": .s("1")]).writeCapacityUnits == 1)
        #expect(TransactWriteItem.put(PutItemInput(tableName: "t", item: large)).writeCapacityUnits == 4)
        let batch: [(String, WriteRequest)] = [("a", .put(item: large)), ("a", .delete(key: small)), ("b", .put(item: small))]
        #expect(batch.writeCapacityCost(table: \.0, units: \.1.writeCapacityUnits) == ["a": 3, "b": 1])
    }

    @Test func theOptionTakesNAndTableEqualsN() throws {
        let policy = try WriteCapacityPolicy(maximums: ["100", "orders=500", "odd=name=2.5"], adaptive: true)
        #expect(policy.maximum == 100)
        #expect(policy.perTable == ["orders": 500, "odd=name": 2.5])
        #expect(policy.adaptive)
        #expect(WriteCapacityPolicy.unlimited.isUnlimited)
        for bad in ["0", "-5", "abc", "=5", "t=", "t=inf", "nan"] {
            #expect(throws: WriteCapacityArgumentError.self, "\(bad)") {
                try WriteCapacityPolicy(maximums: [bad], adaptive: false)
            }
        }
    }
}
