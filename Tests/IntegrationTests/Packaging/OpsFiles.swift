import Foundation

/// The operations kit in ops/: the Prometheus alert rules and the Grafana dashboard, as the PromQL expressions
/// they evaluate and the metric names those use.
struct OpsFiles {
    static let alertRules = repositoryRoot.appendingPathComponent("ops/prometheus/ferry-alerts.yml")
    static let alertRuleTests = repositoryRoot.appendingPathComponent("ops/prometheus/ferry-alerts.test.yml")
    static let dashboard = repositoryRoot.appendingPathComponent("ops/grafana/ferry.json")

    /// Each alert's name and `expr`.
    let alertExpressions: [(alert: String, expr: String)]
    /// Each dashboard panel's title and target `expr`s.
    let dashboardExpressions: [(panel: String, expr: String)]

    static func load() async throws -> OpsFiles {
        let rules = try JSONSerialization.jsonObject(with: try await ComposeFerryServices.yamlAsJSON(alertRules.path))
        let groups = (rules as? [String: Any])?["groups"] as? [[String: Any]] ?? []
        let alerts = groups.flatMap { $0["rules"] as? [[String: Any]] ?? [] }.compactMap { rule -> (String, String)? in
            guard let name = rule["alert"] as? String, let expr = rule["expr"] as? String else { return nil }
            return (name, expr)
        }
        let document = try JSONSerialization.jsonObject(with: try Data(contentsOf: dashboard)) as? [String: Any] ?? [:]
        let panels = document["panels"] as? [[String: Any]] ?? []
        let exprs = panels.flatMap { panel in
            (panel["targets"] as? [[String: Any]] ?? []).compactMap { target in
                (target["expr"] as? String).map { (panel["title"] as? String ?? "?", $0) }
            }
        }
        return OpsFiles(alertExpressions: alerts, dashboardExpressions: exprs)
    }

    /// The `ferry_…` metric names an expression reads (PromQL functions and labels never start with `ferry_`).
    static func ferryMetrics(in expr: String) -> Set<String> {
        Set(expr.matches(of: /ferry_[a-z0-9_]+/).map { String($0.output) })
    }

    /// Every `ferry_…` metric the rules and the dashboard use.
    var ferryMetrics: Set<String> {
        (alertExpressions.map(\.expr) + dashboardExpressions.map(\.expr)).reduce(into: []) { $0.formUnion(Self.ferryMetrics(in: $1)) }
    }
}
