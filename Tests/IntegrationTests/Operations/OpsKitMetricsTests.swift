import Apply
import Foundation
import Shared
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Every `ferry_…` metric the alert rules (ops/prometheus/ferry-alerts.yml) and the Grafana dashboard
/// (ops/grafana/ferry.json) use is served by a running `ferry capture`, `ferry apply` or `ferry validate --every`
/// (validating the pipeline's table once a second), with the labels their `by (…)` clauses group on. The pipeline does a little of everything so that labelled series exist: a full load,
/// an update, a row apply must dead-letter (a number beyond DynamoDB's range), a truncate, and DynamoDB writes
/// through scripts/fault-proxy.py (which throttles its second write) so that a retry is counted.
@Suite("Operations kit: the metrics the rules and the dashboard use exist")
struct OpsKitMetricsTests {
    @Test func everyMetricTheRulesAndTheDashboardUseIsServed() async throws {
        let ops = try await OpsFiles.load()
        #expect(ops.ferryMetrics.count >= 10, "\(ops.ferryMetrics)")
        try await TestStack.withDatabase("opskit") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query(
                "CREATE TABLE orders (id int PRIMARY KEY, name text, amount numeric); "
                    + "INSERT INTO orders SELECT g, 'o' || g, g FROM generate_series(1, 5) g; "
                    + "INSERT INTO orders VALUES (6, 'too large for DynamoDB', 1e200)")
            let proxyLog = FileManager.default.temporaryDirectory.appendingPathComponent(TestStack.uniqueName("proxy") + ".log")
            let proxy = try await FaultProxy.start(slowSeconds: 0.1, logPath: proxyLog.path)
            let pipeline = try await OrdersPipeline.start(
                source: url, name: "opskit", applyEnvironment: ["AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:\(proxy.port)"])
            defer { Task { await pipeline.dropTarget() } }
            let (capture, apply) = (pipeline.capture, pipeline.apply)

            _ = try await pipeline.items { $0.count == 5 }
            let validateEndpoint = OperationsEndpoint()
            let (validate, _) = try FerryRun.start(
                [
                    "validate", "--source", url, "--every", "1s", "--table-mappings",
                    pipeline.directory.appendingPathComponent("table-mappings.json").path,
                ] + validateEndpoint.arguments, in: pipeline.directory)
            let validatePort = try await validateEndpoint.port(of: validate)
            try await db.query("UPDATE orders SET name = 'changed' WHERE id = 1")
            let updated = try await pipeline.items { items in
                items.contains { ApplyTestTopic.id(of: $0) == 1 && $0["name"] == .s("changed") }
            }
            #expect(updated.count == 5, "\(pipeline.output)")
            try await db.query("TRUNCATE orders")

            // Both services refresh their gauges once a second; wait until every metric has a sample, then check.
            let wanted = ops.ferryMetrics
            var served = ""
            let deadline = ContinuousClock.Instant.deadline(in: .seconds(60))
            repeat {
                served = try await HTTPTestConnection.send(.GET, "/metrics", port: pipeline.capturePort).body + "\n"
                    + (try await HTTPTestConnection.send(.GET, "/metrics", port: pipeline.applyPort).body) + "\n"
                    + (try await HTTPTestConnection.send(.GET, "/metrics", port: validatePort).body)
                if wanted.allSatisfy({ !samples(of: $0, in: served).isEmpty }) { break }
                try await Task.sleep(for: .milliseconds(500))
            } while ContinuousClock.now < deadline

            let missing = wanted.filter { samples(of: $0, in: served).isEmpty }.sorted()
            #expect(missing.isEmpty, "no samples of \(missing) in /metrics:\n\(served)\napply:\n\(apply.output.suffix(1500))")
            for (name, expr) in ops.alertExpressions + ops.dashboardExpressions.map({ ($0.panel, $0.expr) }) {
                let lines = OpsFiles.ferryMetrics(in: expr).flatMap { samples(of: $0, in: served) }
                for label in groupingLabels(in: expr) where !lines.contains(where: { $0.contains("\(label)=\"") }) {
                    Issue.record("\(name) groups by \(label), which no sample of its metrics carries: \(expr)")
                }
            }

            validate.signal(SIGTERM)
            apply.signal(SIGTERM)
            capture.signal(SIGTERM)
            #expect(try await validate.wait() == 0, "\(validate.output.suffix(2000))")
            #expect(try await apply.wait() == 0, "\(apply.output.suffix(2000))")
            #expect(try await capture.wait() == 0, "\(capture.output.suffix(2000))")
            proxy.process.signal(SIGTERM)
            _ = try await proxy.process.wait()
        }
    }

    /// The sample lines of a metric in a Prometheus text exposition.
    private func samples(of metric: String, in exposition: String) -> [Substring] {
        exposition.split(separator: "\n").filter { $0.hasPrefix(metric + "{") || $0.hasPrefix(metric + " ") }
    }

    /// The labels of `by (…)` clauses, except those Prometheus adds when it scrapes.
    private func groupingLabels(in expr: String) -> Set<String> {
        let labels = expr.matches(of: /by \(([^)]*)\)/).flatMap { $0.output.1.split(separator: ",") }
        return Set(labels.map { $0.trimmingCharacters(in: .whitespaces) }).subtracting(["job", "instance", ""])
    }
}
