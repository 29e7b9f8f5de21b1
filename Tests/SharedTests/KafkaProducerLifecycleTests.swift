import Testing

@testable import Shared

@Suite("Kafka producer lifecycle: runs once, stops on request, sends until finished")
struct KafkaProducerLifecycleTests {
    @Test func runsOnceAndSendsUntilFinished() throws {
        var lifecycle = KafkaProducerLifecycle()
        try lifecycle.checkSending()
        try lifecycle.start()
        #expect(lifecycle.state == .running)
        lifecycle.stop()
        #expect(lifecycle.state == .stopping)
        try lifecycle.checkSending()  // a flush may still need its messages queued while stopping
        lifecycle.finished()
        #expect(throws: KafkaError.self) { try lifecycle.checkSending() }
        #expect(throws: KafkaError.self) { try lifecycle.start() }
    }

    @Test func stoppedBeforeRunningEndsTheRunAtOnce() throws {
        var lifecycle = KafkaProducerLifecycle()
        lifecycle.stop()
        try lifecycle.start()
        #expect(lifecycle.state == .stopping)
    }
}
