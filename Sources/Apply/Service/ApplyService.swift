import Foundation
import Logging
import ServiceLifecycle
import Shared

/// `ferry apply`: reads the table topics in a consumer group and writes each change to DynamoDB with an idempotent,
/// version-conditioned write; commits offsets only once every write before them is durable.
///
/// Batches are written one after the other (`ApplyLoop`), the next one prepared while the current one is written;
/// `poll` is what runs the rebalance callback. Offsets are stored only once their batch is durable, so what a
/// revocation commits is always durable. A batch that runs long keeps polling with its partitions paused
/// (`KafkaConsumer.keepingMembership`), so slow DynamoDB writes do not cost the group membership. On graceful
/// shutdown (SIGTERM/SIGINT) the batch in flight is finished and committed, then the consumer leaves the group.
public final class ApplyService: Service {
    private let options: ApplyOptions
    private let logger: Logger
    public let statistics = ApplyStatistics()
    /// This process's name in DROP_AND_CREATE's markers (`TablePrepMarkers`).
    private let member = UUID().uuidString

    public init(options: ApplyOptions, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    public func run() async throws {
        var backoff = Backoff(initial: .milliseconds(500), maximum: .seconds(30))
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await apply()
                return
            } catch let error as KafkaError where error.mayHeal && !Task.isCancelled {
                // A lost broker: start over from the committed offsets, which cover only durable writes. (A denied
                // permission or failed authentication, a token that cannot be made among them, an invalid setting, a
                // fatal client error, stops apply.)
                let delay = backoff.next()
                statistics.failing("\(error)")
                logger.warning("apply interrupted; retrying", metadata: ["error": "\(error)", "retry_in": "\(delay)"])
                try? await Task.sleep(for: delay)
            }
        }
    }

    /// One run: sets up the clients, consumes until shutdown, and always releases the clients.
    private func apply() async throws {
        var configuration = try DynamoDBClientConfiguration.fromEnvironment()
        configuration.writeCapacity = options.writeCapacity
        let client = DynamoDBClient(configuration: configuration, logger: logger)
        do {
            if options.targetTablePrep != .dropAndCreate {
                try await KeySchemaCheck(client: client, mappings: options.mappings, logger: logger).run()
            }
            let admin = try KafkaAdmin(configuration: options.producerConfiguration)
            try await refuseTruncateDeleteOnPartitionedTopics(admin: admin)
            // Like a table topic, with room for the headers a dead letter adds (an existing DLQ is left as it is).
            try await admin.createTopics([
                KafkaNewTopic(
                    name: options.deadLetterTopic, partitions: 1,
                    configs: ["max.message.bytes": String(options.deadLetterMessageMaxBytes)])
            ])
            let deadLetters = try DeadLetterPublisher(
                configuration: options.deadLetterProducerConfiguration, topic: options.deadLetterTopic, logger: logger)
            try await deadLetters.withRunning {
                try await consume(client: client, deadLetters: deadLetters, prep: try await tablePrep(admin: admin))
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    /// Poll, apply, commit — until shutdown. The consumer leaves the group on the way out, committing only what
    /// was stored, i.e. durable.
    private func consume(
        client: DynamoDBClient, deadLetters: DeadLetterPublisher, prep: ApplyOptions.TargetTablePrep
    ) async throws {
        let logger = self.logger
        let consumer = try KafkaConsumer(configuration: options.consumerConfiguration, logger: logger) { event in
            // Runs inside `poll`: what is stored is durable; a batch still being written stores its offsets later,
            // for the partitions it still holds.
            if case .revoked(let partitions) = event {
                logger.info("partitions revoked", metadata: ["partitions": "\(partitions)"])
            }
        }
        let tables = TargetTables(
            client: client, mappings: options.mappings, prep: prep, definitions: options.tableDefinitions,
            markers: TablePrepMarkers(client: client, group: options.kafka["group.id"] ?? "", member: member),
            logger: logger)
        let truncates = TruncateApplier(
            client: client, versionAttribute: options.versionAttribute, concurrency: options.concurrency)
        let batches = BatchRunner(
            options: options, planner: BatchPlanner(options: options, tables: tables), tables: tables,
            writer: ItemWriter(
                client: client,
                versioned: VersionedWriter(
                    client: client, versionAttribute: options.versionAttribute, deleteMode: options.deleteMode,
                    nowSeconds: { Int64(Date().timeIntervalSince1970) })),
            truncates: truncates,
            sweep: GenerationSweep(consumer: consumer, tables: tables, truncates: truncates, logger: logger),
            deadLetters: deadLetters, statistics: statistics, logger: logger,
            partitionCount: { topic in try await consumer.topics().first { $0.name == topic }?.partitions.count ?? 1 })
        do {
            try await consumer.subscribe(topics: [options.subscription])
            logger.info(
                "apply started",
                metadata: ["subscription": "\(options.subscription)", "group": "\(options.kafka["group.id"] ?? "")"])
            try await ApplyLoop(
                consumer: consumer, batches: batches, options: options, statistics: statistics, logger: logger
            ).run()
        } catch {
            try? await consumer.close()
            throw error
        }
        try await consumer.close()
        logger.info("apply stopped; offsets committed and group left")
    }

    /// `--truncate delete` is exact only on topics of one partition (`ApplyError.truncateDeleteNeedsOnePartition`):
    /// checked here for the topics there are, and by `BatchRunner` for a truncate of a topic created since.
    private func refuseTruncateDeleteOnPartitionedTopics(admin: KafkaAdmin) async throws {
        guard options.truncateMode == .delete else { return }
        for topic in try await admin.topics() where options.isTableTopic(topic.name) && topic.partitions.count > 1 {
            throw ApplyError.truncateDeleteNeedsOnePartition(topic: topic.name, partitions: topic.partitions.count)
        }
    }

    /// DROP_AND_CREATE only when the group starts from the beginning: a restarted or added member of a group that
    /// has committed offsets would otherwise drop items the topics will not bring back from those offsets. (Within a
    /// new group `TablePrepMarkers` has one member drop each table, once; this keeps the tables of a group that
    /// committed before the markers existed.)
    private func tablePrep(admin: KafkaAdmin) async throws -> ApplyOptions.TargetTablePrep {
        guard options.targetTablePrep == .dropAndCreate, let group = options.kafka["group.id"] else {
            return options.targetTablePrep
        }
        let committed = try await admin.committedOffsets(group: group).filter { $0.offset >= 0 }
        guard committed.isEmpty else {
            logger.warning(
                "the group has committed offsets: keeping the target tables (CREATE_IF_MISSING instead of DROP_AND_CREATE)",
                metadata: ["group": "\(group)"])
            return .createIfMissing
        }
        return .dropAndCreate
    }
}
