import Metrics
import Prometheus

/// Connects swift-metrics to the Prometheus registry that `GET /metrics` renders.
///
/// `MetricsSystem.bootstrap` may run only once per process (a second call traps), yet every test and both services
/// want metrics: the registry is a lazily initialised global, and initialising it is what bootstraps the system.
/// Swift runs a global's initialiser exactly once, even under concurrent first access.
public enum MetricsBootstrap {
    /// The process's registry; every `Counter`, `Gauge`, `Timer`... created through swift-metrics lands here.
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// Bootstraps the metrics system on first call (later calls are free) and returns the registry to serve.
    /// Call it at start-up, before creating metrics: ones created earlier go to swift-metrics' no-op backend.
    @discardableResult
    public static func bootstrap() -> PrometheusCollectorRegistry {
        registry
    }
}
