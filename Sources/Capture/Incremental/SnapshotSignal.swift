import NIOCore
import Shared

/// A `ferry snapshot` request: re-read `tables` (rows matching `filter`) into the topics of the capture with
/// `topicPrefix`. Written into the source's WAL as a non-transactional logical message (prefix `ferry.snapshot`,
/// content JSON), so it is ordered with the stream, waits in the slot while capture is down, and every capture of the
/// database sees it and keeps only its own (docs/design.md, "Incremental snapshots").
public struct SnapshotSignal: Sendable, Equatable {
    static let prefix = "ferry.snapshot"

    public var topicPrefix: String
    public var tables: [QualifiedTableName]
    public var filter: String?

    public init(topicPrefix: String, tables: [QualifiedTableName], filter: String?) {
        self.topicPrefix = topicPrefix
        self.tables = tables
        self.filter = filter
    }

    /// `tables` in the `--tables` syntax (`schema.table`, names as PostgreSQL stores them).
    public init(topicPrefix: String, tableList: String, filter: String?) throws {
        self.init(topicPrefix: topicPrefix, tables: try TableListSyntax.parse(tableList), filter: filter)
    }

    var content: [UInt8] {
        JSONValue.object([
            "prefix": .string(topicPrefix),
            "tables": .array(tables.map { .object(["schema": .string($0.schema), "table": .string($0.name)]) }),
            "where": filter.map(JSONValue.string) ?? .null,
        ]).jsonBytes
    }

    /// Parses a message's content; nil for anything else.
    init?(content: ByteBuffer) {
        guard case .object(let object)? = try? JSONParser.parse(Array(content.readableBytesView)),
            case .string(let prefix)? = object["prefix"], case .array(let entries)? = object["tables"]
        else { return nil }
        topicPrefix = prefix
        tables = entries.compactMap { entry in
            guard case .object(let table) = entry, case .string(let schema)? = table["schema"],
                case .string(let name)? = table["table"]
            else { return nil }
            return QualifiedTableName(schema: schema, name: name)
        }
        if case .string(let filter)? = object["where"] { self.filter = filter }
    }
}

/// What `ferry snapshot` refuses before writing a request.
public struct SnapshotRequestError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

extension SnapshotSignal {
    /// Checks the request against the source — each table exists, and `filter` is a valid condition on it — and
    /// writes it into the WAL; returns the request's WAL position.
    public static func send(_ signal: SnapshotSignal, source: SourceConnector) async throws -> LSN {
        let connection = try await source.connect(applicationName: "ferry-snapshot-request")
        for table in signal.tables {
            let found = try await connection.query("SELECT to_regclass($1) IS NOT NULL", [table.quoted])
            guard found.rows.first?.first == "t" else {
                throw SnapshotRequestError(description: "table \(table) does not exist in the source (names are case-sensitive: schema.table as PostgreSQL stores them)")
            }
            if let filter = signal.filter {
                do {
                    try await connection.query("EXPLAIN SELECT 1 FROM \(table.quoted) WHERE (\(filter))")
                } catch let error as PostgresError {
                    throw SnapshotRequestError(description: "--where is not a valid condition on \(table): \(error.message)")
                }
            }
        }
        let written = try await connection.query(
            "SELECT pg_logical_emit_message(false, $1, $2)::text", [prefix, String(decoding: signal.content, as: UTF8.self)])
        return written.rows.first?.first.flatMap { $0 }.flatMap(LSN.init) ?? LSN(rawValue: 0)
    }
}
