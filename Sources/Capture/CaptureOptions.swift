import Shared

/// How `ferry capture` runs (the CLI fills it from flags and `FERRY_*` environment variables).
public struct CaptureOptions: Sendable {
    public enum SnapshotMode: String, Sendable, CaseIterable {
        /// Snapshot tables whose snapshot has not completed yet (all of them when the slot is new).
        case initial
        /// Never snapshot: stream changes only.
        case never
        /// Snapshot every selected table at every start.
        case always
        /// As `initial`, but each table is read in key-ordered chunks interleaved with the stream (docs/design.md,
        /// "Incremental snapshots"): changes flow from the start, and a restart resumes at the next chunk.
        case incremental
    }

    /// What the table topics hold (docs/design.md, "Debezium records").
    public enum RecordFormat: String, Sendable, CaseIterable {
        /// Ferry's change records (docs/design.md, "The change record").
        case ferry
        /// What Debezium's PostgreSQL connector writes through Kafka Connect's `JsonConverter` with schemas.
        case debezium
    }

    /// How sessions on the source are opened (connection string, RDS IAM tokens, a Secrets Manager secret).
    public var source: SourceConnector
    public var kafka: KafkaConfiguration
    public var prefix: String
    public var selection: TableSelection
    public var slot: String
    public var publication: String
    public var snapshotMode: SnapshotMode = .initial
    public var partitions: Int32 = 1
    public var cleanupPolicy: String = "compact"
    /// Connections reading snapshot tables (or key ranges of large tables) in parallel.
    public var snapshotWorkers: Int = 2
    /// A table with more (estimated) rows and a single integer key is read as key ranges of about this many rows.
    public var rowsPerSnapshotChunk: Int64 = 250_000
    /// Rows per chunk of an incremental snapshot: what capture holds in memory per loading table, and the longest
    /// read (and xmin) it holds the source to.
    public var incrementalChunkRows: Int = 10_000
    /// Keys of a table an incremental snapshot's window may collect before the chunk is read again instead
    /// (`SnapshotWindows`); what bounds a window's memory.
    public var incrementalWindowKeyLimit = Self.defaultIncrementalWindowKeyLimit
    public static let defaultIncrementalWindowKeyLimit = 100_000
    /// When the source's history ended (the slot lost or invalidated, another cluster, another timeline): start a
    /// new generation — a new slot and snapshot of every table, versions above the old history's — instead of
    /// stopping. Does nothing while the history continues.
    public var newGeneration = false
    /// How often to write a heartbeat into the WAL, so an idle database's slot keeps advancing.
    public var heartbeatInterval: Duration = .seconds(10)
    /// Read back the value of every unchanged TOAST column of an update from the source, not only on key changes.
    public var reselectUnchanged = false
    /// The format of the table topics' records; a prefix keeps the one it started with (the state topic
    /// remembers it).
    public var recordFormat: RecordFormat = .ferry
    /// `numeric` in `--record-format debezium` (Debezium's `decimal.handling.mode`).
    public var decimalHandling: DebeziumDecimalHandling = .precise
    /// Each selected table's row filters, load order and snapshot ranges (from the table mappings); by default
    /// every row, in Ferry's order and chunks.
    public var tableRules: @Sendable (QualifiedTableName) -> TableCaptureRules = { _ in TableCaptureRules() }

    public init(source: SourceConnector, kafka: KafkaConfiguration, prefix: String, selection: TableSelection, slot: String? = nil, publication: String? = nil) {
        self.source = source
        self.kafka = kafka
        self.prefix = prefix
        self.selection = selection
        let defaultName = ReplicationNames.defaultName(forPrefix: prefix)
        self.slot = slot ?? defaultName
        self.publication = publication ?? defaultName
    }

    /// Capture from a plain connection string (libpq finds the password itself).
    public init(sourceURL: String, kafka: KafkaConfiguration, prefix: String, selection: TableSelection, slot: String? = nil, publication: String? = nil) {
        self.init(
            source: SourceConnector(connectionString: sourceURL), kafka: kafka, prefix: prefix, selection: selection,
            slot: slot, publication: publication)
    }

    public var topics: TopicLayout { TopicLayout(prefix: prefix) }

    /// How long a compacted topic keeps a tombstone once its segment is cleaned (`delete.retention.ms`), and how
    /// long every record stays before it may be compacted away (`min.compaction.lag.ms`). An apply stopped for
    /// less than the retention still sees each delete, as its record or as the tombstone carrying it; longer, and
    /// a deleted row's item can stay in DynamoDB (README, Limitations).
    public static let tombstoneRetentionMs: Int64 = 7 * 86_400_000
    public static let minimumCompactionLagMs: Int64 = 86_400_000

    /// The configuration of a created table topic.
    var tableTopicConfigs: [String: String] {
        // `max.message.bytes` equal to the producer's `message.max.bytes`: a record the producer accepts is then one
        // the topic accepts (the broker's default is set apart from the producer's).
        var configs = [
            "cleanup.policy": cleanupPolicy, "max.message.bytes": String(KafkaProducer.maxMessageBytes(kafka)),
        ]
        if cleanupPolicy.contains("compact") {
            configs["delete.retention.ms"] = String(Self.tombstoneRetentionMs)
            configs["min.compaction.lag.ms"] = String(Self.minimumCompactionLagMs)
        }
        return configs
    }

    public func topic(for table: QualifiedTableName) -> String {
        topics.tableTopic(schema: table.schema, table: table.name)
    }
}
