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
            0 everything matches, 1 differences found, 2 validation could not run. AWS settings as for apply: \
            AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL and the credentials chain.
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

    @OptionGroup var logging: LoggingOptions

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    func run() async throws {
        let logger = logging.bootstrap(label: "ferry.validate")
        let report: ValidationReport
        do {
            let options = try options(logger: logger)
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
        let text = format == .json ? ValidationJSONFormat.render(report) : ValidationTableFormat.render(report)
        FileHandle.standardOutput.write(Data(text.utf8))
        if !report.isClean { throw ExitCode(1) }
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
        return options
    }
}
