import Foundation
import NIOCore
import Shared
import Synchronization
import Testing

@Suite("Kafka binding (librdkafka) against the local broker")
struct KafkaBindingTests {
    @Test func adminCreatesTopicsWithPartitionsAndConfigs() async throws {
        let admin = try KafkaAdmin(configuration: try TestStack.kafkaConfiguration())
        let topic = TestStack.uniqueName("admin")
        try await admin.createTopics([KafkaNewTopic(name: topic, partitions: 3, configs: ["cleanup.policy": "compact"])])
        // Creating it again is not an error with ifNotExists, and is one without.
        try await admin.createTopics([KafkaNewTopic(name: topic, partitions: 3)])
        let error = await #expect(throws: KafkaError.self) {
            try await admin.createTopics([KafkaNewTopic(name: topic, partitions: 3)], ifNotExists: false)
        }
        #expect(error?.code == .topicAlreadyExists)
        let listed = try await admin.topics().first { $0.name == topic }
        #expect(listed?.partitions == [0, 1, 2])
    }

    @Test func produceConsumeCommitRoundTripInAConsumerGroup() async throws {
        let topic = TestStack.uniqueName("roundtrip")
        let group = TestStack.uniqueName("group")
        let admin = try KafkaAdmin(configuration: try TestStack.kafkaConfiguration())
        try await admin.createTopics([KafkaNewTopic(name: topic, partitions: 3)])

        // Produce 300 keyed records, 10 versions of each of 30 keys; every one must be reported durable.
        let reported = DeliveryReports()
        let producer = try KafkaProducer(configuration: try TestStack.kafkaConfiguration(), logger: TestStack.logger) { event in
            if case .deliveryReports(let batch) = event { reported.append(batch) }
        }
        let outgoing = (0..<300).map { (index: Int) -> KafkaOutgoingMessage in
            let headers: [KafkaHeader] = index % 2 == 0 ? [KafkaHeader(name: "even", string: String(index))] : []
            return KafkaOutgoingMessage(
                topic: topic, key: Array("key-\(index % 30)".utf8), value: Array("value-\(index)".utf8),
                headers: headers, ticket: UInt64(index + 1))
        }
        try await producer.withRunning {
            try await producer.send(outgoing)
            try await producer.flush(timeout: .seconds(30))
        }
        let reports = reported.all
        #expect(reports.count == outgoing.count)
        let failed = reports.filter { (report: KafkaDeliveryReport) -> Bool in report.error != nil || report.offset < 0 || report.topic != topic }
        #expect(failed.isEmpty)
        #expect(Set(reports.map(\.ticket)) == Set(1...300))

        // Consume them in a group: per key, values arrive in production order.
        let consumer = try KafkaConsumer(configuration: try TestStack.consumerConfiguration(group: group), logger: TestStack.logger)
        try await consumer.subscribe(topics: [topic])
        let consumed = try await pollUntil(consumer, count: 300)
        #expect(consumed.count == 300)
        var lastIndexByKey: [String: Int] = [:]
        for message in consumed {
            let key = String(buffer: message.key ?? ByteBuffer())
            let index = Int(String(buffer: message.value ?? ByteBuffer()).dropFirst("value-".count)) ?? -1
            #expect(key == "key-\(index % 30)")
            #expect(index > lastIndexByKey[key, default: -1])
            lastIndexByKey[key] = index
            #expect(message.headers == (index % 2 == 0 ? [KafkaHeader(name: "even", string: "\(index)")] : []))
        }
        #expect(lastIndexByKey.count == 30)

        // Store and commit: the group's committed offsets are one past the last message of each partition.
        var nextOffsets: [TopicPartition: Int64] = [:]
        for message in consumed { nextOffsets[message.topicPartition] = max(nextOffsets[message.topicPartition] ?? 0, message.offset + 1) }
        try await consumer.store(consumed.map(\.nextOffset))
        try await consumer.commit()
        let committed = try await consumer.committed(Array(nextOffsets.keys))
        #expect(Dictionary(uniqueKeysWithValues: committed.map { ($0.topicPartition, $0.offset) }) == nextOffsets)
        try await consumer.close()

        // The admin API sees the same committed offsets, and the group is empty once we left.
        let listed = try await admin.committedOffsets(group: group, partitions: Array(nextOffsets.keys))
        #expect(Dictionary(uniqueKeysWithValues: listed.map { ($0.topicPartition, $0.offset) }) == nextOffsets)
        #expect(try await admin.describeGroup(group).memberCount == 0)

        // Rewind the group through the admin API: a new member re-reads everything.
        try await admin.alterCommittedOffsets(group: group, to: nextOffsets.keys.map { TopicPartitionOffset($0, offset: 0) })
        let again = try KafkaConsumer(configuration: try TestStack.consumerConfiguration(group: group), logger: TestStack.logger)
        try await again.subscribe(topics: [topic])
        #expect(try await pollUntil(again, count: 300).count == 300)
        try await again.close()
    }

    @Test func revocationCommitsWhatTheHandlerStored() async throws {
        let topic = TestStack.uniqueName("rebalance")
        let group = TestStack.uniqueName("group")
        let admin = try KafkaAdmin(configuration: try TestStack.kafkaConfiguration())
        try await admin.createTopics([KafkaNewTopic(name: topic, partitions: 2)])
        let producer = try KafkaProducer(configuration: try TestStack.kafkaConfiguration(), logger: TestStack.logger)
        try await producer.withRunning {
            try await producer.send((0..<40).map { KafkaOutgoingMessage(topic: topic, partition: Int32($0 % 2), key: nil, value: Array("\($0)".utf8)) })
            try await producer.flush(timeout: .seconds(30))
        }

        let events = EventLog()
        let consumer = try KafkaConsumer(
            configuration: try TestStack.consumerConfiguration(group: group), logger: TestStack.logger,
            rebalanceHandler: { events.append($0) })
        try await consumer.subscribe(topics: [topic])
        let consumed = try await pollUntil(consumer, count: 40)
        #expect(consumed.count == 40)
        // Store without committing; leaving the group revokes the partitions, which commits the stored offsets.
        try await consumer.store(consumed.map(\.nextOffset))
        try await consumer.close()
        #expect(events.assigned == [TopicPartition(topic: topic, partition: 0), TopicPartition(topic: topic, partition: 1)])
        #expect(events.revoked == events.assigned)
        let committed = try await admin.committedOffsets(group: group, partitions: events.assigned)
        #expect(committed.map(\.offset) == [20, 20])
    }

    @Test func manualAssignmentReadsWithoutJoiningAGroup() async throws {
        let topic = TestStack.uniqueName("assign")
        let admin = try KafkaAdmin(configuration: try TestStack.kafkaConfiguration())
        try await admin.createTopics([KafkaNewTopic(name: topic, partitions: 1)])
        let producer = try KafkaProducer(configuration: try TestStack.kafkaConfiguration(), logger: TestStack.logger)
        try await producer.withRunning {
            try await producer.send((0..<10).map { KafkaOutgoingMessage(topic: topic, key: nil, value: $0 == 9 ? nil : Array("\($0)".utf8)) })
            try await producer.flush(timeout: .seconds(30))
        }

        let reader = try KafkaConsumer(configuration: try TestStack.kafkaConfiguration(), logger: TestStack.logger)
        try await reader.assign([TopicPartitionOffset(topic: topic, partition: 0, offset: 4)])
        let messages = try await pollUntil(reader, count: 6)
        #expect(messages.map(\.offset) == Array(4...9))
        #expect(messages.last?.value == nil)  // a tombstone stays a null value
        #expect(messages.first?.value == ByteBuffer(string: "4"))
        #expect(messages.allSatisfy { $0.timestampMs != nil })
    }

    /// Polls until `count` messages arrived, or 30 s passed.
    private func pollUntil(_ consumer: KafkaConsumer, count: Int) async throws -> [KafkaMessage] {
        var messages: [KafkaMessage] = []
        let deadline = ContinuousClock.Instant.deadline(in: .seconds(30))
        while messages.count < count, .now < deadline {
            messages += try await consumer.poll(timeout: .milliseconds(200))
        }
        return messages
    }
}

/// Rebalance events, recorded from the consumer's thread.
private final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var assignedPartitions: [TopicPartition] = []
    private var revokedPartitions: [TopicPartition] = []

    func append(_ event: KafkaRebalanceEvent) {
        lock.withLock {
            switch event {
            case .assigned(let partitions): assignedPartitions += partitions
            case .revoked(let partitions): revokedPartitions += partitions
            }
        }
    }

    var assigned: [TopicPartition] { lock.withLock { assignedPartitions.sorted { $0.partition < $1.partition } } }
    var revoked: [TopicPartition] { lock.withLock { revokedPartitions.sorted { $0.partition < $1.partition } } }
}

/// Delivery reports as the producer hands them over.
private final class DeliveryReports: Sendable {
    private let reports = Mutex<[KafkaDeliveryReport]>([])
    func append(_ batch: [KafkaDeliveryReport]) { reports.withLock { $0 += batch } }
    var all: [KafkaDeliveryReport] { reports.withLock { $0 } }
}
