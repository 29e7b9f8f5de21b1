import Metrics
import Testing

@testable import Shared

@Suite("Metrics bootstrap")
struct MetricsBootstrapTests {
    @Test func swiftMetricsCountersReachThePrometheusText() {
        let registry = MetricsBootstrap.bootstrap()
        let counter = Counter(label: "ferry_operations_unit_test_total", dimensions: [("table", "public.orders")])
        counter.increment(by: 3)
        #expect(registry.emitToString().contains(#"ferry_operations_unit_test_total{table="public.orders"} 3"#))
    }

    @Test func bootstrappingAgainReturnsTheSameRegistry() {
        // A second MetricsSystem.bootstrap would trap: this passing at all is half the test.
        #expect(MetricsBootstrap.bootstrap() === MetricsBootstrap.bootstrap())
        #expect(MetricsBootstrap.bootstrap() === MetricsBootstrap.registry)
    }
}
