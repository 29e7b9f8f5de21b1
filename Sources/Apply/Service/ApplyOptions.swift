import Shared

/// Everything `ferry apply` is told at start-up.
public struct ApplyOptions: Sendable {
    /// What to do with target tables before applying (DMS's TargetTablePrepMode).
    public enum TargetTablePrep: String, Sendable, CaseIterable {
        /// Use the table as it is; DescribeTable gives the key schema.
        case doNothing = "DO_NOTHING"
        /// Create missing tables as `tableDefinitions` says, else on demand with the mapping's key.
        case createIfMissing = "CREATE_IF_MISSING"
        /// Delete the table and create it afresh.
        case dropAndCreate = "DROP_AND_CREATE"
    }

    public enum TruncateMode: String, Sendable, CaseIterable {
        /// Log and count truncates; the items stay.
        case ignore
        /// Delete every item older than the truncate.
        case delete
    }

    /// `--on-error`: one action for every kind of record error.
    public enum ErrorPolicy: String, Sendable, CaseIterable {
        /// Bad records go to `<prefix>.ferry.dlq`; apply carries on.
        case dlq
        /// Bad records are counted, logged and skipped.
        case ignore
        /// A bad record stops apply (its offset is not committed).
        case stop

        public var behavior: RecordErrorBehavior {
            switch self {
            case .dlq: RecordErrorBehavior(uniform: .logError, flag: "--on-error dlq")
            case .ignore: RecordErrorBehavior(uniform: .ignoreRecord, flag: "--on-error ignore")
            case .stop: RecordErrorBehavior(uniform: .stopTask, flag: "--on-error stop")
            }
        }
    }

    public enum WriteMode: String, Sendable, CaseIterable {
        /// Every write is conditioned on the stored version (docs/design.md invariant 5): replays are no-ops.
        case conditional
        /// Whole-item puts and deletes go 25 to a BatchWriteItem, unconditioned: for loading an empty table
        /// from the topics in order. Partial updates stay conditional.
        case bulk
    }

    /// What the table topics hold (docs/design.md, "Debezium records").
    public typealias InputFormat = Shared.InputFormat

    public enum DeleteMode: Sendable, Hashable {
        /// Deletes remove the item.
        case hard
        /// Deletes leave a versioned tombstone item expiring after `ttlDays`, so a replayed older record can
        /// never resurrect the row.
        case tombstone(ttlDays: Int)
    }

    public var kafka: KafkaConfiguration
    public var prefix: String
    public var mappings: TableMappings
    public var versionAttribute = "_ferry_version"
    public var concurrency = 16
    public var targetTablePrep = TargetTablePrep.doNothing
    public var truncateMode = TruncateMode.ignore
    /// What to do with a record that cannot be applied, per kind of error (`--on-error`, `--task-settings`).
    public var errorBehavior = RecordErrorBehavior()
    /// Limited LOB mode (`--task-settings`): text, xml and bytea values longer than this many bytes are cut to it.
    public var lobMaximumBytes: Int?
    /// The item attribute (a string set) naming the attributes whose values limited LOB mode cut
    /// (`--truncation-attribute`); nil: none.
    public var truncationAttribute: String? = "_ferry_truncated"
    public var deleteMode = DeleteMode.hard
    public var writeMode = WriteMode.conditional
    /// How CREATE_IF_MISSING and DROP_AND_CREATE create the tables it names (`--table-definitions`).
    public var tableDefinitions = TableDefinitions()
    /// How fast writes may spend each target table's write capacity.
    public var writeCapacity = WriteCapacityPolicy.unlimited
    public var inputFormat = InputFormat.ferry
    /// Messages read per poll: the unit of coalescing and of offset commits.
    public var maxBatchSize = 2048

    /// - Parameter kafka: must carry the consumer group (`group.id`).
    public init(kafka: KafkaConfiguration, prefix: String, mappings: TableMappings) {
        self.kafka = kafka
        self.prefix = prefix
        self.mappings = mappings
    }

    public var topics: TopicLayout { TopicLayout(prefix: prefix) }

    public var deadLetterTopic: String { topics.deadLetterTopic }

    /// The largest message the clients take: `message.max.bytes` (librdkafka's default 1,000,000), which a table
    /// topic's records are expected to fit.
    var messageMaxBytes: Int { kafka["message.max.bytes"].flatMap(Int.init) ?? 1_000_000 }

    /// A dead letter is its record plus headers: the DLQ and its producer take that much more than a table topic.
    var deadLetterMessageMaxBytes: Int { messageMaxBytes + DeadLetter.headerRoom }

    /// How often a batch that takes long polls (partitions paused) to keep the group membership: a third of
    /// `max.poll.interval.ms` (librdkafka's default, 300 s, unless set).
    var membershipPollInterval: Duration {
        .milliseconds((kafka["max.poll.interval.ms"].flatMap(Int.init) ?? 300_000) / 3)
    }

    /// How the input format names the table topics of the prefix.
    public var tableTopics: TableTopicNaming { TableTopicNaming(format: inputFormat, prefix: prefix) }

    /// Only table topics hold table changes, not Ferry's own (DLQ, state) nor those of a longer prefix.
    func isTableTopic(_ topic: String) -> Bool {
        tableTopics.isTableTopic(topic)
    }

    /// The schema and table of a table topic, as the input format names its topics.
    func table(ofTopic topic: String) -> (schema: String, table: String)? {
        tableTopics.table(ofTopic: topic)
    }

    /// `schema.table` of a table topic, the name counters use.
    func sourceTable(ofTopic topic: String) -> String {
        table(ofTopic: topic).map { "\($0.schema).\($0.table)" } ?? topic
    }

    /// The table topics as a librdkafka regular expression; `isTableTopic` checks each message again.
    var subscription: String { tableTopics.subscription }

    /// The consumer's settings: the given ones, plus what this service's design needs unless told otherwise.
    /// - A small prefetch queue (librdkafka's default is 64 MB): 2 MB for conditional apply, bound by DynamoDB
    ///   round trips; 12 MB for bulk loads, which read faster with more at hand.
    /// - Fetch responses of at most 2 MB (librdkafka asks for up to 50 MB): the prefetch limit is checked only
    ///   between fetches, and one large lz4 response, decompressed, held ~120 MB (a larger batch still comes whole).
    /// - The next fetch 100 ms after the queue was full, not librdkafka's 1 s (`fetch.queue.backoff.ms`, from
    ///   librdkafka 2.1): apply drains a full queue in well under a second and then sat idle — bulk loads ran at a
    ///   third of their speed.
    /// - Table topics capture creates later are seen within 5 s: the subscription is a pattern, matched against
    ///   metadata refreshed this often (librdkafka's default is 5 minutes).
    var consumerConfiguration: KafkaConfiguration {
        var configuration = kafka.withDefault("queued.max.messages.kbytes", writeMode == .bulk ? "12288" : "2048")
            // librdkafka refuses a fetch.max.bytes below message.max.bytes.
            .withDefault("fetch.max.bytes", String(max(2 << 20, messageMaxBytes)))
            .withDefault("topic.metadata.refresh.interval.ms", "5000")
        if KafkaConfiguration.isAccepted("fetch.queue.backoff.ms", "100") {
            configuration = configuration.withDefault("fetch.queue.backoff.ms", "100")
        }
        return configuration
    }

    /// The settings of the dead-letter producer: the common ones, without the consumer's.
    var producerConfiguration: KafkaConfiguration {
        let consumerOnly: Set<String> = [
            "group.id", "group.instance.id", "session.timeout.ms", "heartbeat.interval.ms", "max.poll.interval.ms",
            "auto.offset.reset", "enable.auto.commit", "enable.auto.offset.store", "partition.assignment.strategy",
            "group.protocol", "isolation.level", "fetch.min.bytes", "fetch.wait.max.ms", "fetch.max.bytes",
            "max.partition.fetch.bytes", "queued.max.messages.kbytes", "queued.min.messages", "fetch.queue.backoff.ms",
        ]
        return kafka.removing(consumerOnly)
    }

    /// The dead-letter producer's settings: the producer's, taking messages up to `deadLetterMessageMaxBytes`.
    var deadLetterProducerConfiguration: KafkaConfiguration {
        var configuration = producerConfiguration
        configuration["message.max.bytes"] = String(deadLetterMessageMaxBytes)
        return configuration
    }
}
