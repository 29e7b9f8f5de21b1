import ArgumentParser
import Foundation
import Shared
import Tools

struct TailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Show the change records of a topic, a table or a whole prefix, for people (pretty) or programs (json).",
        discussion: """
            TARGET is a topic name, schema.table (with --prefix: the topic <prefix>.<schema>.<table>), or a prefix \
            (all its table topics, merged by message timestamp). By default tail shows the last 10 records of each \
            partition and stops at the end; --follow keeps showing new ones. It never joins a consumer group and \
            never commits offsets, so it cannot disturb `ferry apply`.
            """
    )

    @Argument(help: "A topic, schema.table (with --prefix) or a prefix.")
    var target: String

    @OptionGroup var kafka: KafkaOptions

    @Option(
        help: """
            Topic prefix, to name a table as schema.table (or FERRY_PREFIX); with --input-format debezium, the \
            connector's topic.prefix.
            """)
    var prefix: String?

    @OptionGroup var input: InputFormatOptions

    @Flag(help: "Start at the oldest record of each partition.")
    var fromBeginning = false

    @Option(help: ArgumentHelp("Read partition P from offset O; repeatable; only the named partitions are read.", valueName: "P:O"))
    var offset: [String] = []

    @Option(help: ArgumentHelp("Start at records at most this old: 30s, 10m, 2h, 1d, 1h30m (Kafka message timestamp).", valueName: "duration"))
    var since: String?

    @Option(help: ArgumentHelp("Start at this ISO-8601 time, e.g. 2024-11-24T15:00:00Z (UTC when no zone is given).", valueName: "time"))
    var at: String?

    @Flag(name: [.short, .long], help: "Keep showing new records after the end.")
    var follow = false

    @Option(help: ArgumentHelp("Only these operations: c,u,d,r,t (or create,update,delete,read,truncate).", valueName: "ops"))
    var op: String?

    @Option(help: ArgumentHelp(#"Only records of this row key, as JSON: '{"PaymentId":42}'."#, valueName: "json"))
    var key: String?

    @Option(
        name: .customLong("where"),
        help: ArgumentHelp(
            "Only records whose column has this value (after, else before); repeatable, all must hold.",
            valueName: "column=value"))
    var conditions: [String] = []

    @Option(help: "pretty (for people) or json (one JSON object a line, for jq).")
    var format: OutputFormat = .pretty

    @Option(help: ArgumentHelp("Stop after showing this many records.", valueName: "n"))
    var limit: Int?


    @OptionGroup var logging: LoggingOptions

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case pretty, json
    }

    func run() async throws {
        let logger = logging.bootstrap(label: "ferry.tail")
        let kafka = try self.kafka.configuration()
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        var options = TailOptions(
            kafka: kafka, target: target,
            prefix: try? setting(prefix, flag: "--prefix", variable: "FERRY_PREFIX"),
            position: try StartPosition.parse(
                fromBeginning: fromBeginning, offsets: offset, since: since, at: at, nowMs: WallClock.nowMs()),
            follow: follow,
            filter: try TailFilter.parse(operations: op, key: key, conditions: conditions),
            limit: limit)
        options.format = try input.resolved()
        let printer = TailPrinter(format: format, environment: ProcessInfo.processInfo.environment)
        try await TailSession(options: options, logger: logger).run { printer.print($0) }
    }
}
