/// The transformation rules that concern one source table, resolved once when its mapper is built:
/// its target name, each column's attribute name (or removal) and the columns rules add.
///
/// Rules match source names (as object-locators are written) and apply in file order, each to the name
/// the previous ones produced: `convert-uppercase` on `%` then `add-prefix` gives `P_NAME` for `name`.
struct TableTransformations: Sendable {
    /// The source table's name after table rules: the DynamoDB table when no object-mapping names one.
    let targetTableName: String
    private let columnRules: [(pattern: NamePattern, action: TransformationRule.ColumnAction)]
    private let hasIncludeRules: Bool
    let addedColumns: [(ruleId: String, column: AddedColumn)]

    init(_ rules: [TransformationRule], schema: String, table: String) {
        var targetTableName = table
        var columnRules: [(pattern: NamePattern, action: TransformationRule.ColumnAction)] = []
        var addedColumns: [(ruleId: String, column: AddedColumn)] = []
        for rule in rules where rule.appliesTo(schema: schema, table: table) {
            switch rule.effect {
            case .renameTable(let change): targetTableName = change.apply(to: targetTableName)
            case .changeColumns(let pattern, let action): columnRules.append((pattern, action))
            case .addColumn(let column): addedColumns.append((rule.id, column))
            }
        }
        self.targetTableName = targetTableName
        self.columnRules = columnRules
        self.hasIncludeRules = columnRules.contains { if case .include = $0.action { true } else { false } }
        self.addedColumns = addedColumns
    }

    /// The attribute name of a source column, or nil when a rule removes it (or include rules leave it out).
    func attributeName(forColumn column: String) -> String? {
        var name = column
        var isIncluded = !hasIncludeRules
        for rule in columnRules where rule.pattern.matches(column) {
            switch rule.action {
            case .rename(let change): name = change.apply(to: name)
            case .remove: return nil
            case .include: isIncluded = true
            }
        }
        return isIncluded ? name : nil
    }
}
