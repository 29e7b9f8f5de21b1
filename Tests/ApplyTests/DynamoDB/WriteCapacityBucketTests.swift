import Foundation
import Testing

@testable import Apply

@Suite("Write capacity: the token bucket")
struct WriteCapacityBucketTests {
    @Test func aReservationWaitsForTheFillAndTheBucketHoldsOneSecond() {
        var bucket = WriteCapacityBucket(rate: 10)
        #expect(bucket.reserve(5, at: 100) == 0.5)  // starts empty: 5 units take half a second
        #expect(bucket.reserve(5, at: 100.5) == 0.5)  // the first 5 were paid at 100.5; these at 101
        // Idle for a minute: the bucket holds one second (10 units), not sixty.
        #expect(bucket.reserve(10, at: 161) == 0)
        #expect(bucket.reserve(1, at: 161) == 0.1)
    }

    @Test func anItemLargerThanTheBucketGoesIntoDebtAndLaterWritesWaitItOut() {
        var bucket = WriteCapacityBucket(rate: 4)
        _ = bucket.reserve(0, at: 0)
        #expect(bucket.reserve(400, at: 1) == 99)  // 4 units were there; 396 more at 4 per second
        #expect(bucket.reserve(4, at: 1) == 100)
        #expect(bucket.balance == -400)
    }

    @Test func aNewRateKeepsWhatWasFilledUpToTheNewCapacity() {
        var bucket = WriteCapacityBucket(rate: 100)
        _ = bucket.reserve(0, at: 0)
        bucket.setRate(20, at: 2)  // filled to 100, cut to 20
        #expect(bucket.balance == 20)
        #expect(bucket.reserve(40, at: 2) == 1)
        bucket.setRate(0, at: 2)
        #expect(bucket.rate == WriteCapacityBucket.minimumRate)
        #expect(bucket.capacity == 1)
    }

    @Test func timeGoingBackwardsFillsNothing() {
        var bucket = WriteCapacityBucket(rate: 10)
        _ = bucket.reserve(0, at: 10)
        #expect(bucket.reserve(1, at: 5) == 0.1)
        #expect(abs(bucket.reserve(1, at: 10.1) - 0.1) < 1e-9)
    }
}

@Suite("Write capacity: the adaptive rate estimator")
struct WriteRateEstimatorTests {
    /// Sends `perSecond` units a second, in ten steps a second, from `start` for `seconds`.
    func send(_ estimator: inout WriteRateEstimator, perSecond: Double, from start: Double, seconds: Int) {
        for step in 0..<(seconds * 10) {
            let time = start + Double(step) / 10
            estimator.record(units: perSecond / 10, throttled: false, scheduledAt: time, now: time, limit: nil)
        }
    }

    @Test func noRateUntilTheFirstThrottleThenSevenTenthsOfTheMeasuredRate() {
        var estimator = WriteRateEstimator(now: 0)
        send(&estimator, perSecond: 200, from: 0, seconds: 5)
        #expect(estimator.rate == nil)
        #expect(abs(estimator.measuredRate - 200) < 1)
        let rate = estimator.record(units: 1, throttled: true, scheduledAt: 5, now: 5, limit: nil)
        #expect(abs((rate ?? 0) - 0.7 * estimator.measuredRate) < 0.01)
    }

    @Test func theCeilingIsTheBucketsRateWhenThatIsLower() {
        var estimator = WriteRateEstimator(now: 0)
        send(&estimator, perSecond: 200, from: 0, seconds: 5)
        #expect(estimator.record(units: 1, throttled: true, scheduledAt: 5, now: 5, limit: 50) == 35)
    }

    @Test func throttlesOfRequestsSentBeforeTheLastCutDoNotCutAgain() {
        var estimator = WriteRateEstimator(now: 0)
        send(&estimator, perSecond: 100, from: 0, seconds: 5)
        let first = estimator.record(units: 1, throttled: true, scheduledAt: 4.99, now: 5, limit: nil)
        // Fifteen more answers of the same burst, all scheduled before the cut.
        for _ in 0..<15 {
            #expect(estimator.record(units: 1, throttled: true, scheduledAt: 4.99, now: 5.01, limit: first) == first)
        }
        // A request scheduled after the cut and throttled cuts again.
        let second = estimator.record(units: 1, throttled: true, scheduledAt: 5.02, now: 5.05, limit: first)
        #expect((second ?? .infinity) < (first ?? 0))
    }

    @Test func theRateClimbsBackToTheCeilingInKSecondsThenProbesAbove() throws {
        var estimator = WriteRateEstimator(now: 0)
        send(&estimator, perSecond: 100, from: 0, seconds: 10)
        // The throttle's answer closes a measuring bucket too: the ceiling is the measured rate after it.
        let cut = estimator.record(units: 1, throttled: true, scheduledAt: 10, now: 10, limit: nil)
        let ceiling = try #require(cut) / 0.7
        #expect(abs(ceiling - estimator.measuredRate) < 0.001)
        let k = cbrt(ceiling * 0.3 / 0.4)  // about 4.2 s
        // Sending at the ceiling keeps the measured rate there, so growth is not capped by it.
        send(&estimator, perSecond: ceiling, from: 10, seconds: Int(k.rounded(.up)) + 3)
        let atEnd = try #require(estimator.rate)
        let elapsed = (10 + Double(Int(k.rounded(.up)) + 3) - 0.1) - 10 - k
        #expect(abs(atEnd - (0.4 * elapsed * elapsed * elapsed + ceiling)) < 0.5)
        #expect(atEnd > ceiling)
    }

    @Test func theRateNeverExceedsTwiceTheMeasuredRate() throws {
        var estimator = WriteRateEstimator(now: 0)
        send(&estimator, perSecond: 100, from: 0, seconds: 5)
        _ = estimator.record(units: 1, throttled: true, scheduledAt: 5, now: 5, limit: nil)
        send(&estimator, perSecond: 10, from: 5, seconds: 60)  // the writers had little to send
        let rate = try #require(estimator.rate)
        #expect(rate <= 2 * estimator.measuredRate + 0.001)
    }
}
