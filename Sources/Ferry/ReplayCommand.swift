import ArgumentParser
import Foundation
import Shared
import Tools

struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Move a consumer group's offsets on the pipeline's topics back, so `ferry apply` re-reads them.",
        discussion: """
            Moves the group's committed offsets on every table topic of the prefix (or --tables) to the beginning, \
            to a time (--since, --at; Kafka message timestamps) or to explicit offsets (--offset P:O). --dry-run \
            prints the plan — per partition the current and the new offset and the records to re-read — and \
            changes nothing. Refuses while the group has active members unless --force. Re-applied records are \
            no-ops where DynamoDB already holds their version. To backfill a new table instead, run `ferry apply` \
            with a new --group and --table-suffix (README: "Backfill recipe").
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

    @Option(help: "The consumer group to move (or FERRY_GROUP).")
    var group: String?

    @Option(help: ArgumentHelp("Only these tables' topics: schema.table,...", valueName: "tables"))
    var tables: String?

    @Flag(help: "Move to the oldest record of each partition.")
    var fromBeginning = false

    @Option(help: ArgumentHelp("Move partition P (of each chosen topic) to offset O; repeatable.", valueName: "P:O"))
    var offset: [String] = []

    @Option(help: ArgumentHelp("Move to the first record at most this old: 30s, 10m, 2h, 1d.", valueName: "duration"))
    var since: String?

    @Option(help: ArgumentHelp("Move to the first record at or after this ISO-8601 time.", valueName: "time"))
    var at: String?

    @Flag(help: "Print the plan; change nothing.")
    var dryRun = false

    @Flag(help: "Move the offsets even if the group has active members.")
    var force = false

    @Option(help: "table (for people) or json.")
    var format: PlanFormat = .table


    @OptionGroup var logging: LoggingOptions

    enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    func run() async throws {
        let logger = logging.bootstrap(label: "ferry.replay")
        let kafka = try self.kafka.configuration()
        var session = ReplaySession(
            kafka: kafka, prefix: try setting(prefix, flag: "--prefix", variable: "FERRY_PREFIX"),
            group: try setting(group, flag: "--group", variable: "FERRY_GROUP"),
            tables: tables.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? [],
            position: try StartPosition.parse(
                fromBeginning: fromBeginning, offsets: offset, since: since, at: at, nowMs: WallClock.nowMs()),
            force: force, logger: logger)
        session.format = try input.resolved()
        let plan = try await session.plan()
        switch format {
        case .table: print(plan.table, terminator: "")
        case .json: print(String(decoding: plan.json.jsonBytes, as: UTF8.self))
        }
        if dryRun {
            if format == .table { print("dry run: nothing changed") }
            return
        }
        try await session.execute(plan)
        if format == .table { print("offsets moved; `ferry apply --group \(session.group)` re-reads from there") }
    }
}
