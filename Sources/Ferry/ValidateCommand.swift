import Apply
import ArgumentParser
import Capture
import Foundation
import Logging
import Shared
import Tools

#if canImport(Glibc)
import Glibc
#endif

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Compare PostgreSQL rows with DynamoDB items through the table mappings apply uses.",
        discussion: """
            Reads PostgreSQL in one consistent snapshot and DynamoDB by scan (or, with --sample, by key), maps each \
            row as apply would and reports missing, extra and differing items. Items newer than the snapshot (their \
            version's commit LSN is above pg_current_wal_lsn() taken just before it) are tolerated. Exit status: \
            0 everything matches, 1 differences found, 2 validation could not run. With --every it runs on, \
            validating once a period and printing each report, until SIGTERM/SIGINT (exit 0); differences never \
            end it, a failure the next run may not meet (a lost connection) is retried at the next period, any \
            other stops it (exit 2). AWS settings as for apply: AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB / \
            AWS_ENDPOINT_URL and the credentials chain.
            """
    )

    @OptionGroup var source: SourceOptions

    @Option(help: "The AWS DMS table-mappings.json apply uses (or FERRY_TABLE_MAPPINGS).")
    var tableMappings: String?

    @Option(help: "Only these tables: schema.table,... (each must be selected by the mappings); default all selected.")
    var tables: String?

    @Option(help: ArgumentHelp("Compare N random rows per table, looked up by key, instead of every row.", valueName: "N"))
    var sample: Int?

    @Option(help: "table (for people) or json (one document, for programs).")
    var format: OutputFormat = .table

    @Option(help: "Item attribute holding the record version, as given to apply.")
    var versionAttribute: String = "_ferry_version"

    @OptionGroup var input: InputFormatOptions

    @Option(help: "fixed or source: how apply wrote timestamp/time attributes (its --timestamp-format).")
    var timestampFormat: TimestampFormat = .fixed

    @OptionGroup var truncation: TruncationAttributeOption

    @Option(
        help: ArgumentHelp(
            """
            Validate once every DURATION (30s, 15m, 1h...) until stopped, serving /health, /metrics and /status \
            with --http; once: a single run. Given, it wins over the task settings' EnableValidation.
            """, valueName: "DURATION|once"))
    var every: String?

    @Option(
        help: ArgumentHelp(
            "Compare up to N tables at once, each on its own session in the one snapshot (DMS's ThreadCount).",
            valueName: "N"))
    var parallelTables: Int?

    @Option(help: ArgumentHelp("Stop comparing a table at its Nth failure (DMS's TableFailureMaxCount).", valueName: "N"))
    var maxTableFailures: Int?

    @Option(help: ArgumentHelp("Stop comparing at the run's Nth failure, over all tables (DMS's FailureMaxCount).", valueName: "N"))
    var maxFailures: Int?

    @Option(
        help: ArgumentHelp(
            """
            Read DynamoDB this long after taking the source snapshot, so changes committed before it that apply \
            has not written yet can land (the snapshot is held meanwhile).
            """, valueName: "DURATION"))
    var targetReadDelay: String?

    @OptionGroup var taskSettings: TaskSettingsOptions

    @OptionGroup var operations: OperationsOptions

    @OptionGroup var logging: LoggingOptions

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    func run() async throws {
        let logger = logging.bootstrap(label: "ferry.validate")
        let options: ValidateOptions
        do {
            options = try self.options(logger: logger)
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if let period = options.every {
            try await runPeriodically(options, period: period, logger: logger)
            return
        }
        let report: ValidationReport
        do {
            let client = DynamoDBClient(configuration: try .fromEnvironment(), logger: logger)
            let progress = ProgressLine(isEnabled: isatty(STDERR_FILENO) == 1)
            do {
                report = try await ValidateSession(options: options, client: client, logger: logger).run {
                    progress.show($0)
                }
            } catch {
                progress.clear()
                try? await client.shutdown()
                throw error
            }
            progress.clear()
            try await client.shutdown()
        } catch {
            // Differences exit 1; anything that kept the comparison from running exits 2, with its message.
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        print(report, format: format)
        if !report.isClean { throw ExitCode(1) }
    }

    private func print(_ report: ValidationReport, format: OutputFormat) {
        let text = format == .json ? ValidationJSONFormat.render(report) : ValidationTableFormat.render(report)
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// `--every`: the periodic validation as a service, with the operations endpoint when `--http` asks for one.
    private func runPeriodically(_ options: ValidateOptions, period: Duration, logger: Logger) async throws {
        MetricsBootstrap.bootstrap()
        let client = DynamoDBClient(configuration: try .fromEnvironment(), logger: logger)
        let format = self.format
        let service = PeriodicValidation(
            session: ValidateSession(options: options, client: client, logger: logger), period: period,
            logger: logger, reported: { self.print($0, format: format) })
        let statistics = service.statistics
        logger.info("periodic validation started", metadata: ["every": "\(period)"])
        do {
            try await operations.run(
                service, health: { statistics.currentProblem.map { .unhealthy(reason: $0) } ?? .healthy },
                status: { statistics.statusDocument(period: period) }, logger: logger)
        } catch {
            try? await client.shutdown()
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        try await client.shutdown()
        logger.info("periodic validation stopped")
    }

    private func options(logger: Logger) throws -> ValidateOptions {
        if let sample, sample < 1 { throw ValidationError("--sample must be at least 1") }
        let mappingsPath = try setting(tableMappings, flag: "--table-mappings", variable: "FERRY_TABLE_MAPPINGS")
        var mappings = try loadTableMappings(at: mappingsPath, logger: logger)
        mappings.timestampFormat = timestampFormat
        var options = ValidateOptions(
            source: try source.connector(),
            mappings: mappings,
            tables: try tables.map { try TableSelection.parse(tables: $0) }, sampleSize: sample)
        options.versionAttribute = versionAttribute
        options.inputFormat = try input.resolved()
        options.truncationAttribute = truncation.name
        if let settings = try taskSettings.load() {
            let given: [(String, Bool)] = [
                ("--every", every != nil), ("--parallel-tables", parallelTables != nil),
                ("--max-table-failures", maxTableFailures != nil),
                ("--max-failures", maxFailures != nil), ("--target-read-delay", targetReadDelay != nil),
            ]
            TaskSettingsOptions.log(try options.adopt(settings, flagsGiven: Set(given.filter(\.1).map(\.0))), to: logger)
        }
        if let every { options.every = every == "once" ? nil : try Self.duration(every, flag: "--every") }
        if options.every == nil, operations.http != nil {
            throw ValidationError("--http serves a periodic validation: give --every DURATION (or EnableValidation)")
        }
        if let parallelTables { options.parallelTables = try Self.positive(parallelTables, flag: "--parallel-tables") }
        if let maxTableFailures { options.tableFailureLimit = try Self.positive(maxTableFailures, flag: "--max-table-failures") }
        if let maxFailures { options.runFailureLimit = try Self.positive(maxFailures, flag: "--max-failures") }
        if let targetReadDelay { options.targetReadDelay = try Self.duration(targetReadDelay, flag: "--target-read-delay") }
        return options
    }

    private static func duration(_ text: String, flag: String) throws -> Duration {
        guard let milliseconds = DurationText.milliseconds(text) else {
            throw ValidationError("\(flag) must be a duration such as 30s, 15m or 1h, not \(text)")
        }
        return .milliseconds(milliseconds)
    }

    private static func positive(_ number: Int, flag: String) throws -> Int {
        guard number > 0 else { throw ValidationError("\(flag) must be at least 1") }
        return number
    }
}
