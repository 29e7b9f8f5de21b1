/// Which tables capture reads: the names given with `--tables`, or those a rule set accepts (the DMS selection-rule
/// matcher supplies the predicate). Resolved against the catalog, so a name that does not exist is reported, not
/// silently skipped.
public enum TableSelection: Sendable {
    /// Exactly these tables; each must exist.
    case names([QualifiedTableName])
    /// Every table for which the predicate answers true (called with names as PostgreSQL stores them).
    case matching(@Sendable (_ schema: String, _ table: String) -> Bool)

    /// The selection `--tables public.orders,dbo.Payments` describes (see `TableListSyntax` for the format).
    public static func parse(tables list: String) throws(TableListSyntaxError) -> TableSelection {
        .names(try TableListSyntax.parse(list))
    }

    /// The catalog's tables this selection picks, in catalog order, and the named tables that do not exist.
    ///
    /// A rule never picks a partition: its rows are captured through the partitioned table at its root (the
    /// publication publishes via the root), and picking both would capture each row twice. Named explicitly,
    /// a partition is taken as asked.
    func resolve(against catalog: [CatalogTable]) -> (selected: [CatalogTable], missing: [QualifiedTableName]) {
        switch self {
        case .matching(let accepts):
            return (catalog.filter { !$0.isPartition && accepts($0.name.schema, $0.name.name) }, [])
        case .names(let names):
            let byName = Dictionary(catalog.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            var seen = Set<QualifiedTableName>()
            var selected: [CatalogTable] = []
            var missing: [QualifiedTableName] = []
            for name in names where seen.insert(name).inserted {
                if let table = byName[name] { selected.append(table) } else { missing.append(name) }
            }
            return (selected, missing)
        }
    }
}
