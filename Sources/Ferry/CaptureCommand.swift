import Apply
import ArgumentParser
import Capture
import Foundation
import Logging
import ServiceLifecycle
import Shared

struct CaptureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Snapshot PostgreSQL tables and stream their changes (pgoutput) into Kafka topics <prefix>.<schema>.<table>."
    )

    @OptionGroup var source: SourceOptions

    @OptionGroup var kafka: KafkaOptions

    @Option(help: "Topic prefix: topics are <prefix>.<schema>.<table> (or FERRY_PREFIX).")
    var prefix: String?

    @Option(help: "Tables to capture: schema.table,... (names as PostgreSQL stores them).")
    var tables: String?

    @Option(help: "An AWS DMS table-mappings.json whose selection rules pick the tables (or FERRY_TABLE_MAPPINGS).")
    var tableMappings: String?

    @Option(help: "Replication slot (default ferry_<prefix>; ferry_<sanitised>__<hash> unless the prefix is lowercase [a-z0-9_]).")
    var slot: String?

    @Option(help: "Publication (default: the slot's default name).")
    var publication: String?

    @Option(
        help: """
            initial: snapshot tables not yet snapshotted (one exported snapshot, then streaming); incremental: the \
            same tables, read in key-ordered chunks while changes stream; never; always.
            """)
    var snapshot: CaptureOptions.SnapshotMode = .initial

    @Option(help: "Rows per chunk of an incremental snapshot (held in memory per loading table).")
    var snapshotChunkRows: Int = 10_000

    @Option(help: "Partitions of each new table topic.")
    var partitions: Int32 = 1

    @Option(help: "cleanup.policy of new table topics (compact keeps the latest state per key; delete keeps history).")
    var cleanupPolicy: String = "compact"

    @Option(help: "Connections reading snapshot tables in parallel (default 2).")
    var snapshotWorkers: Int?

    @Flag(
        help: """
            When the source's history ended (slot dropped or invalidated, failover, restore, another cluster): start a \
            new generation — new slot, snapshot of every table, versions above the old ones; apply then removes the \
            items the new snapshot did not write. Without it capture stops and says what it found.
            """)
    var newGeneration = false

    @Flag(help: "Read the value of every unchanged TOAST column of an update back from the source (a query per batch and table), not only on primary-key changes.")
    var reselectUnchanged = false

    @Option(
        help: """
            Record format of the table topics: ferry (Ferry's change records), or debezium (what Debezium's PostgreSQL \
            connector writes through Kafka Connect's JsonConverter with schemas, for Kafka Connect sinks and `ferry \
            apply --input-format debezium`). A prefix keeps the format it started with (or FERRY_RECORD_FORMAT).
            """)
    var recordFormat: CaptureOptions.RecordFormat?

    @Option(help: "numeric columns under --record-format debezium: precise (Connect Decimal), string, double (Debezium's decimal.handling.mode).")
    var decimalHandlingMode: DebeziumDecimalHandling = .precise

    @OptionGroup var taskSettings: TaskSettingsOptions

    @OptionGroup var operations: OperationsOptions

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.bootstrap(label: "ferry.capture")
        let kafka = try self.kafka.configuration()
        let mappings = try loadMappings(logger: logger)
        var options = CaptureOptions(
            source: try source.connector(), kafka: kafka,
            prefix: try setting(prefix, flag: "--prefix", variable: "FERRY_PREFIX"),
            selection: try selection(mappings), slot: slot, publication: publication)
        options.snapshotMode = snapshot
        options.partitions = partitions
        options.cleanupPolicy = cleanupPolicy
        if let settings = try taskSettings.load() {
            let given: Set<String> = snapshotWorkers == nil ? [] : ["--snapshot-workers"]
            TaskSettingsOptions.log(try options.adopt(settings, flagsGiven: given), to: logger)
        }
        if let snapshotWorkers { options.snapshotWorkers = max(1, snapshotWorkers) }
        options.incrementalChunkRows = max(1, snapshotChunkRows)
        options.newGeneration = newGeneration
        options.reselectUnchanged = reselectUnchanged
        options.recordFormat = try recordFormat ?? environmentRecordFormat()
        options.decimalHandling = decimalHandlingMode
        if let mappings {
            options.tableRules = { mappings.captureRules(schema: $0.schema, table: $0.name) }
        }
        MetricsBootstrap.bootstrap()
        let service = CaptureService(options: options, logger: logger)
        let progress = service.progress
        let (prefix, slot) = (options.prefix, options.slot)
        try await operations.run(
            service, health: { progress.currentProblem.map { .unhealthy(reason: $0) } ?? .healthy },
            status: { progress.statusDocument(prefix: prefix, slot: slot) }, logger: logger)
    }

    /// The `--table-mappings` file (or `FERRY_TABLE_MAPPINGS`), when given.
    private func loadMappings(logger: Logger) throws -> TableMappings? {
        guard let path = try? setting(tableMappings, flag: "--table-mappings", variable: "FERRY_TABLE_MAPPINGS") else {
            return nil
        }
        return try loadTableMappings(at: path, logger: logger)
    }

    /// `--tables`, or the selection rules of a DMS table-mappings file: exactly one of them.
    private func selection(_ mappings: TableMappings?) throws -> TableSelection {
        switch (tables, mappings) {
        case (let tables?, nil):
            return try TableSelection.parse(tables: tables)
        case (nil, let mappings?):
            return .matching { schema, table in mappings.isSelected(schema: schema, table: table) }
        case (.some, .some):
            throw ValidationError("give either --tables or --table-mappings, not both")
        case (nil, nil):
            throw ValidationError("say which tables to capture: --tables schema.table,... or --table-mappings FILE")
        }
    }
}

extension CaptureOptions.SnapshotMode: ExpressibleByArgument {}

extension CaptureCommand {
    /// `FERRY_RECORD_FORMAT`, when `--record-format` is not given; Ferry's format when neither is.
    private func environmentRecordFormat() throws -> CaptureOptions.RecordFormat {
        guard let name = try? setting(nil, flag: "--record-format", variable: "FERRY_RECORD_FORMAT") else { return .ferry }
        guard let format = CaptureOptions.RecordFormat(rawValue: name) else {
            throw ValidationError("FERRY_RECORD_FORMAT must be ferry or debezium, not \(name)")
        }
        return format
    }
}

extension CaptureOptions.RecordFormat: ExpressibleByArgument {}
extension DebeziumDecimalHandling: ExpressibleByArgument {}
