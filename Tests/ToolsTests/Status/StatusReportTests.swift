import Shared
import Testing
@testable import Tools

@Suite struct StatusReportTests {
    let capture = ServiceStatus(
        role: .capture, url: "c:1",
        answer: .document([
            "prefix": "p", "problem": .null, "full_load_progress_percent": .number("50.0"), "tables_loaded": 1,
            "tables_loading": 1, "tables_queued": 0, "tables_errored": 0, "source_latency_ms": 300, "slot_lag_bytes": 64,
            "tables": [["table": "s.a", "state": "loaded", "rows": 10], ["table": "s.b", "state": "loading", "rows": 4]],
        ]))

    func apply(_ url: String, inserts: Int64, latency: Int64, lag: Int64) -> ServiceStatus {
        ServiceStatus(
            role: .apply, url: url,
            answer: .document([
                "group": "g", "problem": .null,
                "tables": ["s.a": ["inserts": .integer(inserts), "updates": 1, "deletes": 0, "noops": 2, "dead_lettered": 1, "ignored": 3, "target_latency_ms": .integer(latency)]],
                "consumer_lag": .object(JSONObject([("p.s.a[\(url.suffix(1))]", .integer(lag))])),
            ]))
    }

    @Test func applyProcessesOfOneGroupAddUpAndCaptureGivesTheFullLoad() {
        let report = StatusReport(services: [capture, apply("a:1", inserts: 5, latency: 900, lag: 3), apply("a:2", inserts: 6, latency: 700, lag: 0)])
        #expect(report.isHealthy)
        #expect(report.fullLoadProgressPercent == "50.0" && report.tablesLoading == 1 && report.slotLagBytes == 64)
        #expect(report.tables.map(\.name) == ["s.a", "s.b"])
        #expect(report.tables[0].inserts == 11 && report.tables[0].noops == 4 && report.tables[0].deadLettered == 2)
        // IGNORE_RECORD's skipped records, beside the dead letters (DMS counts both as errors of the table).
        #expect(report.tables[0].ignored == 6)
        #expect(report.screen(nowMs: 0).contains("Ignored"))
        #expect(report.json.jsonText.contains(#""DeadLettered":2,"Ignored":6"#))
        #expect(report.tables[0].fullLoadRows == 10 && report.tables[1].state == "loading")
        #expect(report.consumerLag.map(\.messages) == [3, 0])
        // Records still to consume: the newest applied record's age.
        #expect(report.targetLatencyMs == 700)
    }

    @Test func caughtUpApplyIsAsFreshAsTheSource() {
        let report = StatusReport(services: [capture, apply("a:1", inserts: 5, latency: 90_000, lag: 0)])
        #expect(report.targetLatencyMs == 300)
    }

    @Test func anUnreachableOrUnhealthyServiceMakesTheReportUnhealthy() {
        let down = ServiceStatus(role: .apply, url: "a:9", answer: .unreachable(reason: "connection refused"))
        #expect(!StatusReport(services: [capture, down]).isHealthy)
        #expect(StatusReport(services: [capture, down]).screen(nowMs: 0).contains("apply    a:9  unreachable (connection refused)"))
        let failing = ServiceStatus(role: .capture, url: "c:1", answer: .document(["problem": "slot in use"]))
        #expect(!StatusReport(services: [failing]).isHealthy)
        #expect(StatusReport(services: [failing]).json.jsonText.contains(#""condition":"unhealthy: slot in use""#))
    }
}

extension JSONValue {
    var jsonText: String { String(decoding: jsonBytes, as: UTF8.self) }
}
