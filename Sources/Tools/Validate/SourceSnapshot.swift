import Capture
import Shared

/// The PostgreSQL side of a validation: one session that picks the tables as capture does, then reads them all in
/// one REPEATABLE READ transaction, so every table is seen as of one moment, streamed with COPY (bounded memory).
struct SourceSnapshot: Sendable {
    let tables: [SourceTable]
    /// The URL with its password hidden, for messages and the report.
    let source: String
    private let connection: PostgresConnection

    /// Connects and resolves `selection` against the catalog; every problem with the tables is reported at once.
    static func open(source connector: SourceConnector, selection: TableSelection) async throws(ValidateError)
        -> SourceSnapshot
    {
        let source = connector.redacted
        let connection: PostgresConnection
        do {
            connection = try await connector.connect(applicationName: "ferry-validate")
        } catch {
            throw .cannotConnect(error)
        }
        let (tables, problems) = try await reading("the catalog", from: source) {
            let session = try await connection.query("SELECT current_database(), current_user")
            return try await TableCatalog(connection: connection).select(
                selection, database: session.rows.first?[0] ?? "?", role: session.rows.first?[1] ?? "?")
        }
        guard problems.isEmpty else { throw .sourceNotReady(source: source, problems: problems) }
        return SourceSnapshot(tables: tables, source: source, connection: connection)
    }

    /// Starts the snapshot and returns `pg_current_wal_lsn()` read just before it: every change committed at or
    /// below that LSN is in the snapshot, so an item versioned above it holds a change the snapshot may not show.
    func begin() async throws(ValidateError) -> LSN {
        try await reading("the WAL position", from: source) {
            let result = try await connection.query("SELECT pg_current_wal_lsn()::text")
            guard let text = result.rows.first?[0], let lsn = LSN(text) else {
                throw UnexpectedAnswer(query: "pg_current_wal_lsn()", answer: result.rows, expected: "an LSN")
            }
            try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            // The snapshot is taken by the transaction's first statement, not by BEGIN.
            try await connection.query("SELECT 1")
            return lsn
        }
    }

    /// `count` more sessions in this snapshot (exported here, imported there), for comparing tables in parallel:
    /// every session sees the tables as of the same moment. Call after `begin`; the snapshot stays importable while
    /// this session's transaction is open.
    func sharedWith(_ count: Int, source connector: SourceConnector) async throws(ValidateError) -> [SourceSnapshot] {
        guard count > 0 else { return [] }
        let name = try await reading("pg_export_snapshot()", from: source) {
            let result = try await connection.query("SELECT pg_export_snapshot()")
            guard let name = result.rows.first?[0] else {
                throw UnexpectedAnswer(query: "pg_export_snapshot()", answer: result.rows, expected: "a snapshot name")
            }
            return name
        }
        var sessions: [SourceSnapshot] = []
        for _ in 0..<count {
            let other: PostgresConnection
            do {
                other = try await connector.connect(applicationName: "ferry-validate")
            } catch {
                throw .cannotConnect(error)
            }
            try await reading("the exported snapshot \(name)", from: source) {
                try await other.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                try await other.query("SET TRANSACTION SNAPSHOT '\(name)'")
            }
            sessions.append(SourceSnapshot(tables: tables, source: source, connection: other))
        }
        return sessions
    }

    /// The table's rows in the snapshot (those `condition` takes, when given: the selection rules' filters).
    func count(_ table: SourceTable, where condition: String? = nil) async throws(ValidateError) -> Int {
        try await reading("the row count of \(table.name)", from: source) {
            let result = try await connection.query(
                "SELECT count(*) FROM \(table.name.quoted)" + (condition.map { " WHERE \($0)" } ?? ""))
            guard let text = result.rows.first?[0], let count = Int(text) else {
                throw UnexpectedAnswer(query: "count(*)", answer: result.rows, expected: "a number")
            }
            return count
        }
    }

    /// Streams the table's rows (all, or as `clause` limits them) to `consume`, a chunk at a time, in the snapshot.
    /// A `ValidateError` thrown by `consume` comes out as it is.
    func rows(
        of shape: RecordShape, clause: String? = nil, _ consume: ([RecordShape.Values]) async throws -> Void
    ) async throws(ValidateError) {
        _ = try await reading("the rows of \(shape.schema).\(shape.table)", from: source) {
            try await shape.readRows(on: connection, clause: clause, consume)
        }
    }
}

/// A query answered with something it never answers (a bug, or not PostgreSQL).
private struct UnexpectedAnswer: Error, CustomStringConvertible {
    var query: String
    var answer: [[String?]]
    var expected: String

    var description: String { "\(query) answered \(answer), not \(expected)" }
}

/// Runs `body`, turning its failure into a `ValidateError` that says what was being read from where.
private func reading<Value>(
    _ what: String, from source: String, _ body: () async throws -> Value
) async throws(ValidateError) -> Value {
    do {
        return try await body()
    } catch let error as ValidateError {
        throw error
    } catch {
        throw .sourceReadFailed(source: source, what: what, underlying: error)
    }
}
