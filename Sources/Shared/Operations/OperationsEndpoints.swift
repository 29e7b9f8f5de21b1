import Prometheus

/// What the operations endpoint serves, supplied by the service that runs it.
struct OperationsEndpoints: Sendable {
    /// Called on the event loop for every `/health` request: it must be quick and must not block.
    var health: @Sendable () -> HealthState
    /// Called off the event loop for every `/status` request.
    var status: @Sendable () async -> JSONValue
    var registry: PrometheusCollectorRegistry
}
