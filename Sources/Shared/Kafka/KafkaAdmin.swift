import CRdKafka
import Logging

/// A topic to create.
public struct KafkaNewTopic: Sendable {
    public var name: String
    public var partitions: Int32
    /// -1 takes the broker's default.
    public var replicationFactor: Int32
    /// Topic configs such as `cleanup.policy=compact`.
    public var configs: [String: String]

    public init(name: String, partitions: Int32, replicationFactor: Int32 = -1, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}

/// A consumer group as the coordinator describes it.
public struct KafkaConsumerGroupDescription: Sendable {
    public var group: String
    /// e.g. `Stable`, `Empty`, `Dead`, `PreparingRebalance`.
    public var state: String
    public var memberCount: Int
}

/// Topic and consumer-group administration through librdkafka's Admin API.
public final class KafkaAdmin: Sendable {
    private let client: RdKafkaClient
    private let executor = BlockingExecutor(label: "ferry.kafka.admin")

    public init(configuration: KafkaConfiguration) throws {
        client = try RdKafkaClient(kind: .producer, configuration: configuration)
    }

    /// Creates the topics; with `ifNotExists`, one that already exists is not an error.
    public func createTopics(_ topics: [KafkaNewTopic], ifNotExists: Bool = true, timeout: Duration = .seconds(30)) async throws {
        guard !topics.isEmpty else { return }
        let client = self.client
        try await executor.run {
            var errorText = RdKafkaErrorText()
            var newTopics: [OpaquePointer?] = []
            defer { newTopics.forEach { rd_kafka_NewTopic_destroy($0) } }
            for topic in topics {
                guard let newTopic = rd_kafka_NewTopic_new(topic.name, topic.partitions, topic.replicationFactor, &errorText.storage, errorText.storage.count)
                else {
                    throw KafkaError(code: .invalidConfiguration, message: errorText.text, context: "creating topic \(topic.name)")
                }
                newTopics.append(newTopic)
                for (key, value) in topic.configs.sorted(by: { $0.key < $1.key }) {
                    let code = rd_kafka_NewTopic_set_config(newTopic, key, value)
                    guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(code, context: "setting \(key) on topic \(topic.name)") }
                }
            }
            let event = try adminRequest(client, RD_KAFKA_ADMIN_OP_CREATETOPICS, timeout: timeout, context: "creating topics") {
                rd_kafka_CreateTopics(client.pointer, &newTopics, newTopics.count, $0, $1)
            }
            defer { rd_kafka_event_destroy(event) }
            var count = 0
            let results = rd_kafka_CreateTopics_result_topics(event, &count)
            for result in UnsafeBufferPointer(start: results, count: count) {
                let code = rd_kafka_topic_result_error(result)
                if code == RD_KAFKA_RESP_ERR_NO_ERROR || (ifNotExists && code == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) { continue }
                let name = String(cString: rd_kafka_topic_result_name(result))
                let message = rd_kafka_topic_result_error_string(result).map { String(cString: $0) } ?? ""
                throw KafkaError(code: KafkaError.Code(code), message: message, context: "creating topic \(name)")
            }
        }
    }

    public func deleteTopics(_ names: [String], timeout: Duration = .seconds(30)) async throws {
        guard !names.isEmpty else { return }
        let client = self.client
        try await executor.run {
            var requests: [OpaquePointer?] = names.map { rd_kafka_DeleteTopic_new($0) }
            defer { requests.forEach { rd_kafka_DeleteTopic_destroy($0) } }
            let event = try adminRequest(client, RD_KAFKA_ADMIN_OP_DELETETOPICS, timeout: timeout, context: "deleting topics") {
                rd_kafka_DeleteTopics(client.pointer, &requests, requests.count, $0, $1)
            }
            defer { rd_kafka_event_destroy(event) }
            var count = 0
            let results = rd_kafka_DeleteTopics_result_topics(event, &count)
            for result in UnsafeBufferPointer(start: results, count: count) {
                let code = rd_kafka_topic_result_error(result)
                guard code == RD_KAFKA_RESP_ERR_NO_ERROR || code == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART else {
                    throw KafkaError(code, context: "deleting topic \(String(cString: rd_kafka_topic_result_name(result)))")
                }
            }
        }
    }

    /// Topics in the cluster with their partitions (internal `__` topics excluded).
    public func topics(timeout: Duration = .seconds(10)) async throws -> [KafkaTopicMetadata] {
        let client = self.client
        return try await executor.run { try client.topics(timeoutMilliseconds: milliseconds(timeout)) }
    }

    /// Low and high watermark of a partition as the broker reports them.
    public func watermarks(_ partition: TopicPartition, timeout: Duration = .seconds(10)) async throws -> (low: Int64, high: Int64) {
        let client = self.client
        return try await executor.run { try client.watermarks(partition, timeoutMilliseconds: milliseconds(timeout)) }
    }

    /// The group's committed offsets, for `partitions` or (nil) every partition it has committed.
    public func committedOffsets(
        group: String, partitions: [TopicPartition]? = nil, timeout: Duration = .seconds(30)
    ) async throws -> [TopicPartitionOffset] {
        let client = self.client
        return try await executor.run {
            var request: OpaquePointer? =
                if let partitions {
                    RdKafkaPartitionList(partitions).withPointer { rd_kafka_ListConsumerGroupOffsets_new(group, $0) }
                } else {
                    rd_kafka_ListConsumerGroupOffsets_new(group, nil)
                }
            defer { rd_kafka_ListConsumerGroupOffsets_destroy(request) }
            let event = try adminRequest(
                client, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS, timeout: timeout, context: "listing offsets of group \(group)"
            ) { rd_kafka_ListConsumerGroupOffsets(client.pointer, &request, 1, $0, $1) }
            defer { rd_kafka_event_destroy(event) }
            var count = 0
            let groups = rd_kafka_ListConsumerGroupOffsets_result_groups(event, &count)
            return try groupPartitions(UnsafeBufferPointer(start: groups, count: count), context: "listing offsets of group \(group)")
        }
    }

    /// Sets the group's committed offsets (the group must have no active members).
    public func alterCommittedOffsets(group: String, to offsets: [TopicPartitionOffset], timeout: Duration = .seconds(30)) async throws {
        guard !offsets.isEmpty else { return }
        let client = self.client
        try await executor.run {
            var request: OpaquePointer? = RdKafkaPartitionList(offsets).withPointer {
                rd_kafka_AlterConsumerGroupOffsets_new(group, $0)
            }
            defer { rd_kafka_AlterConsumerGroupOffsets_destroy(request) }
            let event = try adminRequest(
                client, RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS, timeout: timeout, context: "altering offsets of group \(group)"
            ) { rd_kafka_AlterConsumerGroupOffsets(client.pointer, &request, 1, $0, $1) }
            defer { rd_kafka_event_destroy(event) }
            var count = 0
            let groups = rd_kafka_AlterConsumerGroupOffsets_result_groups(event, &count)
            _ = try groupPartitions(UnsafeBufferPointer(start: groups, count: count), context: "altering offsets of group \(group)")
        }
    }

    /// The group's state and number of active members.
    public func describeGroup(_ group: String, timeout: Duration = .seconds(30)) async throws -> KafkaConsumerGroupDescription {
        let client = self.client
        return try await executor.run {
            var name: UnsafePointer<CChar>? = nil
            return try group.withCString { groupName in
                name = groupName
                let event = try adminRequest(
                    client, RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS, timeout: timeout, context: "describing group \(group)"
                ) { rd_kafka_DescribeConsumerGroups(client.pointer, &name, 1, $0, $1) }
                defer { rd_kafka_event_destroy(event) }
                var count = 0
                let descriptions = rd_kafka_DescribeConsumerGroups_result_groups(event, &count)
                guard count == 1, let description = descriptions?[0] else {
                    throw KafkaError(code: .unknownTopicOrPartition, message: "no description returned", context: "describing group \(group)")
                }
                if let error = rd_kafka_ConsumerGroupDescription_error(description) {
                    throw KafkaError(code: KafkaError.Code(rd_kafka_error_code(error)), message: String(cString: rd_kafka_error_string(error)), context: "describing group \(group)")
                }
                return KafkaConsumerGroupDescription(
                    group: group,
                    state: String(cString: rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupDescription_state(description))),
                    memberCount: rd_kafka_ConsumerGroupDescription_member_count(description))
            }
        }
    }
}

/// Runs one Admin API request on a private queue and returns its result event (the caller destroys it).
private func adminRequest(
    _ client: RdKafkaClient, _ operation: rd_kafka_admin_op_t, timeout: Duration, context: String,
    _ start: (OpaquePointer?, OpaquePointer?) -> Void
) throws -> OpaquePointer {
    guard let queue = rd_kafka_queue_new(client.pointer) else {
        throw KafkaError(code: .invalidConfiguration, message: "no queue for the request", context: context)
    }
    defer { rd_kafka_queue_destroy(queue) }
    let options = rd_kafka_AdminOptions_new(client.pointer, operation)
    defer { rd_kafka_AdminOptions_destroy(options) }
    var errorText = RdKafkaErrorText()
    _ = rd_kafka_AdminOptions_set_request_timeout(options, milliseconds(timeout), &errorText.storage, errorText.storage.count)
    start(options, queue)
    // The request's own timeout answers first; the extra second only guards against a lost event.
    guard let event = client.poll(queue, timeout: timeout + .seconds(1)) else {
        throw client.authenticationFailure() ?? KafkaError(code: .timedOut, message: "no answer within \(timeout)", context: context)
    }
    let code = rd_kafka_event_error(event)
    guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
        let message = rd_kafka_event_error_string(event).map { String(cString: $0) } ?? ""
        rd_kafka_event_destroy(event)
        throw client.authenticationFailure() ?? KafkaError(code: KafkaError.Code(code), message: message, context: context)
    }
    return event
}

private func groupPartitions(_ groups: UnsafeBufferPointer<OpaquePointer?>, context: String) throws -> [TopicPartitionOffset] {
    var offsets: [TopicPartitionOffset] = []
    for group in groups {
        if let error = rd_kafka_group_result_error(group) {
            throw KafkaError(code: KafkaError.Code(rd_kafka_error_code(error)), message: String(cString: rd_kafka_error_string(error)), context: context)
        }
        guard let partitions = rd_kafka_group_result_partitions(group) else { continue }
        let list = UnsafeBufferPointer(start: partitions.pointee.elems, count: Int(partitions.pointee.cnt))
        if let failed = list.first(where: { $0.err != RD_KAFKA_RESP_ERR_NO_ERROR }) {
            throw KafkaError(failed.err, context: "\(context) (\(String(cString: failed.topic))[\(failed.partition)])")
        }
        offsets += RdKafkaPartitionList.offsets(in: partitions)
    }
    return offsets
}
