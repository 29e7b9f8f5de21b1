import Foundation
import Testing

/// ops/prometheus/ferry-alerts.yml is valid (`promtool check rules`), its unit tests pass (`promtool test rules`
/// ops/prometheus/ferry-alerts.test.yml: each alert fires on its shape and not on its look-alike), and every
/// expression of the Grafana dashboard parses as PromQL. promtool comes with Debian's `prometheus` package
/// (scripts/bootstrap.sh). Needs no stack.
@Suite("Packaging: Prometheus rules and Grafana dashboard")
struct PrometheusRulesTests {
    @Test func alertRulesAreValid() async throws {
        try await expectPromtoolSucceeds(["check", "rules", OpsFiles.alertRules.path])
    }

    @Test func alertRulesPassTheirUnitTests() async throws {
        try await expectPromtoolSucceeds(["test", "rules", OpsFiles.alertRuleTests.path])
    }

    /// Grafana's `$__rate_interval` becomes a fixed range; each expression is then a recording rule promtool parses.
    @Test func dashboardExpressionsParse() async throws {
        let ops = try await OpsFiles.load()
        #expect(ops.dashboardExpressions.count >= 10, "\(ops.dashboardExpressions)")
        let rules = ops.dashboardExpressions.enumerated().map { index, target in
            let expr = target.expr.replacingOccurrences(of: "$__rate_interval", with: "5m")
            return "      - record: ferry_dashboard_panel_\(index)\n        expr: '\(expr.replacingOccurrences(of: "'", with: "''"))'\n"
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(TestStack.uniqueName("dashboard") + ".yml")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(("groups:\n  - name: dashboard\n    rules:\n" + rules.joined()).utf8).write(to: file)
        try await expectPromtoolSucceeds(["check", "rules", file.path])
    }

    private func expectPromtoolSucceeds(_ arguments: [String]) async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent(TestStack.uniqueName("promtool") + ".log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let promtool: ChildProcess
        do {
            promtool = try ChildProcess(["promtool"] + arguments, logPath: log)
        } catch POSIXError.ENOENT {
            Issue.record("promtool is not on PATH: it comes with Debian's prometheus package (scripts/bootstrap.sh)")
            return
        }
        let status = try await promtool.wait()
        #expect(status == 0, "promtool \(arguments.joined(separator: " ")) exited \(status):\n\(promtool.output)")
    }
}
