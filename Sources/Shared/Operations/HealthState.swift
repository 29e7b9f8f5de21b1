/// What a service reports on `GET /health`: load balancers and orchestrators restart or route around it on 503.
public enum HealthState: Sendable, Hashable {
    case healthy
    /// `reason` tells the operator what is wrong, e.g. "broker unreachable for 2m".
    case unhealthy(reason: String)

    public var isHealthy: Bool {
        if case .healthy = self { true } else { false }
    }

    /// The `/health` body: `{"status":"ok"}` or `{"status":"unhealthy","reason":"..."}`.
    var json: JSONValue {
        switch self {
        case .healthy: ["status": "ok"]
        case .unhealthy(let reason): ["status": "unhealthy", "reason": .string(reason)]
        }
    }
}
