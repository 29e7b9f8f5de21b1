import ArgumentParser
import Capture
import Foundation

struct SnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Ask a running ferry capture to re-read tables into their topics (an incremental snapshot, beside the stream).",
        discussion: """
            Writes the request into the source's WAL (pg_logical_emit_message), so it reaches the capture of --prefix \
            in stream order, and waits in its slot while it is down. The capture then reads each table it captures in \
            key-ordered chunks while changes keep streaming; /status shows each table's chunks. Uses: a column added \
            with ALTER TABLE ... ADD COLUMN ... DEFAULT (PostgreSQL writes no WAL for the existing rows), drift found \
            by ferry validate, a re-load after a mapping change.
            """
    )

    @OptionGroup var source: SourceOptions

    @Option(help: "The topic prefix of the capture to ask (or FERRY_PREFIX).")
    var prefix: String?

    @Option(name: .customLong("where"), help: ArgumentHelp("Re-read only the rows matching this SQL condition.", valueName: "sql"))
    var filter: String?

    @Argument(help: ArgumentHelp("Tables to re-read, as schema.table (names as PostgreSQL stores them).", valueName: "schema.table"))
    var tables: [String]

    func run() async throws {
        let signal = try SnapshotSignal(
            topicPrefix: try setting(prefix, flag: "--prefix", variable: "FERRY_PREFIX"),
            tableList: tables.joined(separator: ","), filter: filter)
        let position = try await SnapshotSignal.send(signal, source: try source.connector())
        print("requested: \(signal.tables.map(\.description).joined(separator: ", ")) at \(position); the capture of prefix \(signal.topicPrefix) loads them next")
    }
}
