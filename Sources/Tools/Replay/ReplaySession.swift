import Logging
import Shared

/// `ferry replay`: plans moving a consumer group's committed offsets on the pipeline's table topics (to the
/// beginning, a time or explicit offsets) and, unless it is a dry run, moves them. Apply then re-reads from there;
/// its version-conditioned writes make the re-read records no-ops where DynamoDB already has them.
public struct ReplaySession: Sendable {
    public var kafka: KafkaConfiguration
    public var prefix: String
    /// What the topics hold (`--input-format`): how the table topics of `prefix` are named.
    public var format = InputFormat.ferry
    public var group: String
    /// `schema.table` names; empty for every table topic of the prefix.
    public var tables: [String]
    public var position: StartPosition
    public var force: Bool
    let logger: Logger

    public init(
        kafka: KafkaConfiguration, prefix: String, group: String, tables: [String], position: StartPosition,
        force: Bool, logger: Logger
    ) {
        self.kafka = kafka
        self.prefix = prefix
        self.group = group
        self.tables = tables
        self.position = position
        self.force = force
        self.logger = logger
    }

    /// The plan, computed against the broker now.
    public func plan() async throws -> ReplayPlan {
        if case .lastRecords = position { throw ReplayError.noPosition }
        // A reader without a group (assign-only, never commits) answers watermark and time-index queries.
        let reader = try KafkaConsumer(configuration: kafka, logger: logger)
        do {
            let plan = try await plan(using: reader)
            try? await reader.close()
            return plan
        } catch {
            try? await reader.close()
            throw error
        }
    }

    private func plan(using reader: KafkaConsumer) async throws -> ReplayPlan {
        let metadata = try await reader.topics()
        let topics = try chosenTopics(among: metadata.map(\.name))
        let partitions = metadata.filter { topics.contains($0.name) }.flatMap { topic in
            topic.partitions.map { TopicPartition(topic: topic.name, partition: $0) }
        }
        let offsets = try await StartOffsets.make(for: partitions, position: position, consumer: reader)
        let admin = try KafkaAdmin(configuration: kafka)
        let committed = try await admin.committedOffsets(group: group, partitions: Array(offsets.starts.keys))
        return ReplayPlan(
            group: group, starts: offsets.starts, ends: offsets.ends,
            committed: Dictionary(committed.map { ($0.topicPartition, $0.offset) }, uniquingKeysWith: { $1 }))
    }

    /// Moves the group as `plan` says. Refuses while the group has members, unless `force`.
    public func execute(_ plan: ReplayPlan) async throws {
        let admin = try KafkaAdmin(configuration: kafka)
        let description = try await admin.describeGroup(group)
        if description.memberCount > 0, !force {
            throw ReplayError.groupActive(group: group, members: description.memberCount)
        }
        do {
            try await admin.alterCommittedOffsets(
                group: group, to: plan.moves.map { TopicPartitionOffset($0.partition, offset: $0.new) })
        } catch let error as KafkaError where KafkaError.Code.groupHasMembers.contains(error.code) {
            throw ReplayError.groupActive(group: group, members: nil)
        }
        logger.info(
            "consumer group offsets moved",
            metadata: ["group": "\(group)", "partitions": "\(plan.moves.count)", "records_to_reread": "\(plan.recordsToReread)"])
    }

    /// The prefix's table topics, or those of `tables`.
    func chosenTopics(among topics: [String]) throws(ReplayError) -> [String] {
        let layout = TableTopicNaming(format: format, prefix: prefix)
        let tableTopics = topics.filter(layout.isTableTopic).sorted()
        guard !tables.isEmpty else {
            guard !tableTopics.isEmpty else { throw .noTopics(prefix: prefix, tables: []) }
            return tableTopics
        }
        let wanted = tables.map { table in layout.tableTopics(named: table).first(where: tableTopics.contains) }
        let missing = zip(tables, wanted).filter { $0.1 == nil }.map(\.0)
        guard missing.isEmpty else { throw .unknownTables(missing, prefix: prefix) }
        return wanted.compactMap(\.self)
    }
}
