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
            connection = try await PostgresConnection.connect(source: sourceURL, applicationName: "ferry-preflight")
        } catch {
            throw .cannotConnect(error)
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

        let (tables, tableProblems) = try await TableCatalog(connection: connection).select(
            selection, database: server.database, role: server.role)
        problems += tableProblems
        return (tables, problems)
    }
}
