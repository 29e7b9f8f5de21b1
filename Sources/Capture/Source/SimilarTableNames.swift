import Shared

/// Existing tables a user may have meant when a named table does not exist: the same name in another case
/// (`dbo.payments` for `dbo.Payments`), the same table in another schema, or a name a typo or two away.
enum SimilarTableNames {
    static func suggestions(
        for wanted: QualifiedTableName, among tables: [QualifiedTableName], limit: Int = 3
    ) -> [QualifiedTableName] {
        let wantedText = wanted.description.lowercased()
        let wantedTable = wanted.name.lowercased()
        let typoAllowance = max(2, wantedText.count / 5)
        let ranked: [(rank: Int, name: QualifiedTableName)] = tables.compactMap { table in
            let text = table.description.lowercased()
            if text == wantedText { return (0, table) }
            if table.name.lowercased() == wantedTable { return (1, table) }
            let distance = EditDistance.between(Array(text), Array(wantedText), giveUpAbove: typoAllowance)
            return distance <= typoAllowance ? (1 + distance, table) : nil
        }
        return ranked.sorted { ($0.rank, $0.name) < ($1.rank, $1.name) }.prefix(limit).map(\.name)
    }

    /// Whether the only difference is letter case: the usual mistake, since `--tables` does not fold case.
    static func differsOnlyInCase(_ lhs: QualifiedTableName, _ rhs: QualifiedTableName) -> Bool {
        lhs != rhs && lhs.description.lowercased() == rhs.description.lowercased()
    }
}
