import Synchronization

/// Counts a producer's delivery reports and keeps the failed ones: the `onEvent` of a producer that only needs to
/// know whether what it sent arrived (dead letters, the benchmark, tests). Read it after `flush`, which returns once
/// every report has been handed over.
public final class KafkaDeliveryTally: Sendable {
    private let state = Mutex((reported: 0, failures: [KafkaDeliveryReport]()))

    public init() {}

    public func record(_ event: KafkaProducerEvent) {
        guard case .deliveryReports(let reports) = event else { return }
        let failures = reports.filter { $0.error != nil }
        state.withLock { $0 = ($0.reported + reports.count, $0.failures + failures) }
    }

    public var reported: Int { state.withLock { $0.reported } }
    public var failures: [KafkaDeliveryReport] { state.withLock { $0.failures } }
}
