import Shared

/// The checks capture runs before it creates anything: can it log in, does the server allow logical replication
/// for this role, do the selected tables exist with a usable key. Everything wrong is reported at once, each
/// problem with the exact SQL or setting that fixes it.
public enum Preflight {
    /// The selected tables, described, when capture can start; otherwise the reasons it cannot.
    /// - Parameter slotName: capture's replication slot; when it exists already no free slot is needed.
    public static func run(
        sourceURL: String, selection: TableSelection, slotName: String? = nil
    ) async throws(PreflightError) -> [SourceTable] {
        let target = ConnectionTarget(sourceURL)
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(sourceURL, applicationName: "ferry-preflight")
        } catch {
            let postgresError = error as? PostgresError ?? PostgresError(kind: .connectionFailed, message: "\(error)")
            throw .cannotConnect(ConnectionFailure(postgresError, target: target))
        }
        let tables: [SourceTable]
        let problems: [PreflightProblem]
        do {
            (tables, problems) = try await check(connection, selection: selection, slotName: slotName)
        } catch {
            throw .catalogUnreadable(source: target.redacted, underlying: error)
        }
        guard problems.isEmpty else { throw .notReady(source: target.redacted, problems: problems) }
        return tables
    }

    private static func check(
        _ connection: PostgresConnection, selection: TableSelection, slotName: String?
    ) async throws -> (tables: [SourceTable], problems: [PreflightProblem]) {
        let server = try await ServerReadiness.load(from: connection, slotName: slotName)
        var problems = server.problems

        let catalog = TableCatalog(connection: connection)
        let available = try await catalog.tables()
        let (selected, missing) = selection.resolve(against: available)
        let availableNames = available.map(\.name)
        for name in missing {
            problems.append(.tableMissing(name, similar: SimilarTableNames.suggestions(for: name, among: availableNames)))
        }
        if selected.isEmpty, missing.isEmpty {
            problems.append(.noTableSelected(database: server.database, available: availableNames))
        }

        let tables = try await catalog.describe(selected)
        for table in tables where table.captureKey == nil {
            problems.append(
                .tableWithoutKey(table.name, replicaIdentity: table.replicaIdentity, hasPrimaryKey: !table.primaryKey.isEmpty))
        }
        for table in try await unreadableTables(selected, on: connection) {
            problems.append(.tableNotReadable(table, role: server.role))
        }
        return (tables, problems)
    }

    /// The tables the session's role may not SELECT from.
    private static func unreadableTables(
        _ tables: [CatalogTable], on connection: PostgresConnection
    ) async throws -> [QualifiedTableName] {
        guard !tables.isEmpty else { return [] }
        let result = try await connection.query(
            "SELECT c.oid FROM pg_class c WHERE c.oid = ANY($1::oid[]) AND NOT has_table_privilege(c.oid, 'SELECT')",
            ["{" + tables.map { String($0.oid) }.joined(separator: ",") + "}"])
        let denied = Set(result.rows.compactMap { $0.first.flatMap { $0 }.flatMap { UInt32($0) } })
        return tables.filter { denied.contains($0.oid) }.map(\.name)
    }
}
