import Apply
import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import Shared

struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply the change records of <prefix>.* topics to DynamoDB, idempotently, as table-mappings.json says.",
        discussion: """
            AWS settings come the standard way: AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL and the \
            credentials chain (environment, shared files with AWS_PROFILE, container and instance metadata).
            """
    )

    @OptionGroup var kafka: KafkaOptions

    @Option(
        help: """
            Topic prefix: table topics are <prefix>.<schema>.<table> (or FERRY_PREFIX); with --input-format \
            debezium, the connector's topic.prefix.
            """)
    var prefix: String?

    @OptionGroup var input: InputFormatOptions

    @Option(help: "Kafka consumer group; a new group starts from the beginning of the topics (or FERRY_GROUP).")
    var group: String?

    @Option(help: "AWS DMS table-mappings.json (or FERRY_TABLE_MAPPINGS).")
    var tableMappings: String?

    @Option(help: "Appended to every target table name: backfill new tables from the topics while the live ones stay.")
    var tableSuffix: String = ""

    @Option(help: "Item attribute holding the record version (a number ordered like (commit_lsn, seq)).")
    var versionAttribute: String = "_ferry_version"

    @Option(help: "DynamoDB writes in flight at once.")
    var concurrency: Int = 16

    @Option(
        help: """
            DO_NOTHING (default), CREATE_IF_MISSING or DROP_AND_CREATE; tables are created as --table-definitions \
            says, else with the mapping's key and on-demand billing. Given, it wins over the task settings' \
            TargetTablePrepMode.
            """)
    var targetTablePrep: ApplyOptions.TargetTablePrep?

    @Option(
        help: """
            A JSON array of DynamoDB CreateTable requests (plus TimeToLiveSpecification): how CREATE_IF_MISSING and \
            DROP_AND_CREATE create the tables it names — GSIs, billing mode, provisioned throughput, TTL (or \
            FERRY_TABLE_DEFINITIONS).
            """)
    var tableDefinitions: String?

    @Option(help: "ignore: log and count truncates; delete: delete every item older than the truncate.")
    var truncate: ApplyOptions.TruncateMode = .ignore

    @Option(help: "hard: delete items; tombstone: keep a versioned tombstone item (needs --tombstone-ttl-days).")
    var deletes: DeleteStyle = .hard

    @Option(help: "Days a tombstone item lives (its `ttl` attribute; enable TTL on that attribute).")
    var tombstoneTtlDays: Int = 7

    @Option(
        help: """
            conditional: every write checks the stored version, so replays are no-ops; bulk: puts and deletes go 25 \
            to a BatchWriteItem without conditions, for loading an empty table from the topics.
            """)
    var writeMode: ApplyOptions.WriteMode = .conditional

    @Option(
        help: """
            Write capacity units per second apply spends on each table (N), or on one table (TABLE=N, repeatable), \
            counted as DynamoDB does: 1 per started KB of an item, 2 in a transaction.
            """)
    var maxWriteCapacity: [String] = []

    @Option(
        help: """
            fixed: only --max-write-capacity holds writes back; adaptive: also find each table's rate from its \
            throttling answers (a token bucket with a CUBIC rate, as the AWS SDKs' adaptive retry mode).
            """)
    var writeCapacity: WriteCapacityMode = .fixed

    @Option(
        help: """
            dlq (default): bad records go to <prefix>.ferry.dlq and apply carries on; ignore: they are counted, logged \
            and skipped; stop: a bad record stops apply. Given, it wins over the task settings' ErrorBehavior.
            """)
    var onError: ApplyOptions.ErrorPolicy?

    @Option(
        help: """
            fixed: timestamp/time attributes with six fraction digits, so they sort as time (GSI sort keys); \
            source: PostgreSQL's text, trailing zeros trimmed.
            """)
    var timestampFormat: TimestampFormat = .fixed

    @OptionGroup var truncation: TruncationAttributeOption

    @OptionGroup var taskSettings: TaskSettingsOptions

    @OptionGroup var operations: OperationsOptions

    @OptionGroup var logging: LoggingOptions

    enum DeleteStyle: String, ExpressibleByArgument, CaseIterable {
        case hard, tombstone
    }

    enum WriteCapacityMode: String, ExpressibleByArgument, CaseIterable {
        case fixed, adaptive
    }

    func run() async throws {
        let logger = logging.bootstrap(label: "ferry.apply")
        let group = try setting(self.group, flag: "--group", variable: "FERRY_GROUP")
        // Quick joins and failure detection; -X overrides. (The consumer defaults the service's design needs are
        // ApplyOptions.consumerConfiguration's.)
        let kafka = try self.kafka.configuration(
            defaults: ["group.id": group, "session.timeout.ms": "10000", "max.poll.interval.ms": "300000"])
        let mappingsPath = try setting(tableMappings, flag: "--table-mappings", variable: "FERRY_TABLE_MAPPINGS")
        var options = ApplyOptions(
            kafka: kafka, prefix: try setting(prefix, flag: "--prefix", variable: "FERRY_PREFIX"),
            mappings: try loadTableMappings(at: mappingsPath, logger: logger))
        options.mappings.targetTableSuffix = tableSuffix
        options.mappings.timestampFormat = timestampFormat
        options.versionAttribute = versionAttribute
        options.truncationAttribute = truncation.name
        options.concurrency = max(1, concurrency)
        if let settings = try taskSettings.load() {
            let given: [(String, Bool)] = [("--target-table-prep", targetTablePrep != nil), ("--on-error", onError != nil)]
            TaskSettingsOptions.log(
                try options.adopt(settings, flagsGiven: Set(given.filter(\.1).map(\.0))), to: logger)
        }
        if let targetTablePrep { options.targetTablePrep = targetTablePrep }
        if let onError { options.errorBehavior = onError.behavior }
        if let path = try? setting(tableDefinitions, flag: "--table-definitions", variable: "FERRY_TABLE_DEFINITIONS") {
            options.tableDefinitions = try loadTableDefinitions(at: path)
            if options.targetTablePrep == .doNothing {
                logger.warning("--table-definitions is used only by CREATE_IF_MISSING and DROP_AND_CREATE; DO_NOTHING creates no table")
            }
        }
        options.truncateMode = truncate
        options.writeMode = writeMode
        do {
            options.writeCapacity = try WriteCapacityPolicy(
                maximums: maxWriteCapacity, adaptive: writeCapacity == .adaptive)
        } catch {
            throw ValidationError(error.description)
        }
        options.inputFormat = try input.resolved()
        switch deletes {
        case .hard: options.deleteMode = .hard
        case .tombstone:
            guard tombstoneTtlDays > 0 else { throw ValidationError("--tombstone-ttl-days must be positive") }
            options.deleteMode = .tombstone(ttlDays: tombstoneTtlDays)
        }
        MetricsBootstrap.bootstrap()
        let service = ApplyService(options: options, logger: logger)
        let statistics = service.statistics
        let prefix = options.prefix
        try await operations.run(
            service, health: { statistics.currentProblem.map { .unhealthy(reason: $0) } ?? .healthy },
            status: { statistics.statusDocument(prefix: prefix, group: group, nowMs: WallClock.nowMs()) },
            logger: logger)
    }
}

extension ApplyOptions.TargetTablePrep: ExpressibleByArgument {}
extension ApplyOptions.TruncateMode: ExpressibleByArgument {}
extension ApplyOptions.ErrorPolicy: ExpressibleByArgument {}
extension ApplyOptions.WriteMode: ExpressibleByArgument {}
extension TimestampFormat: ExpressibleByArgument {}
