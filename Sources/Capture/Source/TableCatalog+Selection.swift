import Shared

extension TableCatalog {
    /// The tables `selection` picks, described, and everything that stops them being read row by row, by key:
    /// named tables that do not exist (with the names the user may have meant), a selection that matches nothing,
    /// tables without a usable key, tables the session's role may not read. Capture's preflight and
    /// `ferry validate` both start here, so they accept and refuse the same tables.
    /// - Parameters:
    ///   - database: the session's database, for the "nothing selected" message.
    ///   - role: the session's role, for the GRANT a table it may not read needs.
    public func select(
        _ selection: TableSelection, database: String, role: String
    ) async throws -> (tables: [SourceTable], problems: [PreflightProblem]) {
        let available = try await tables()
        let (selected, missing) = selection.resolve(against: available)
        let availableNames = available.map(\.name)
        var problems: [PreflightProblem] = []
        for name in missing {
            problems.append(.tableMissing(name, similar: SimilarTableNames.suggestions(for: name, among: availableNames)))
        }
        if selected.isEmpty, missing.isEmpty {
            problems.append(.noTableSelected(database: database, available: availableNames))
        }

        let tables = try await describe(selected)
        for table in tables where table.captureKey == nil {
            problems.append(
                .tableWithoutKey(table.name, replicaIdentity: table.replicaIdentity, hasPrimaryKey: !table.primaryKey.isEmpty))
        }
        for table in try await unreadableTables(selected) {
            problems.append(.tableNotReadable(table, role: role))
        }
        return (tables, problems)
    }

    /// The tables the session's role may not SELECT from.
    private func unreadableTables(_ tables: [CatalogTable]) async throws -> [QualifiedTableName] {
        guard !tables.isEmpty else { return [] }
        let result = try await connection.query(
            "SELECT c.oid FROM pg_class c WHERE c.oid = ANY($1::oid[]) AND NOT has_table_privilege(c.oid, 'SELECT')",
            ["{" + tables.map { String($0.oid) }.joined(separator: ",") + "}"])
        let denied = Set(result.rows.compactMap { $0.first.flatMap { $0 }.flatMap { UInt32($0) } })
        return tables.filter { denied.contains($0.oid) }.map(\.name)
    }
}
