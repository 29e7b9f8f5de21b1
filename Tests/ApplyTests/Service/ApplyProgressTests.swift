import Logging
import Testing

@testable import Apply

@Suite("Apply progress")
struct ApplyProgressTests {
    @Test func aLinePerActiveOrLaggingTableWithRateNoopsLagAndLatency() {
        var before = ApplyStatistics.Table()
        before.inserts = 100
        before.noops = 2
        var now = before
        now.inserts = 550
        now.updates = 50
        now.noops = 7
        now.deadLettered = 1
        now.lastCommitTimeMs = 9_750
        var idle = ApplyStatistics.Table()
        idle.inserts = 10
        let lines = ApplyProgress.lines(
            previous: ["public.orders": before, "public.idle": idle, "public.waiting": idle],
            current: ["public.orders": now, "public.idle": idle, "public.waiting": idle],
            lag: ["public.orders": 12, "public.idle": 0, "public.waiting": 300], seconds: 5, nowMs: 10_000)
        #expect(lines == [
            [
                "table": "public.orders", "items_per_second": "100", "noops": "5", "dead_lettered": "1",
                "consumer_lag": "12", "target_latency_ms": "250",
            ],
            [
                "table": "public.waiting", "items_per_second": "0", "noops": "0", "dead_lettered": "0",
                "consumer_lag": "300", "target_latency_ms": "n/a",
            ],
        ])
    }
}
