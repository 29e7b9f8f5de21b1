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
    private let typeChanges: [(ruleId: String, pattern: NamePattern, type: ColumnDataType)]

    init(_ rules: [TransformationRule], schema: String, table: String) {
        var targetTableName = table
        var columnRules: [(pattern: NamePattern, action: TransformationRule.ColumnAction)] = []
        var addedColumns: [(ruleId: String, column: AddedColumn)] = []
        var typeChanges: [(ruleId: String, pattern: NamePattern, type: ColumnDataType)] = []
        for rule in rules where rule.appliesTo(schema: schema, table: table) {
            switch rule.effect {
            case .renameTable(let change): targetTableName = change.apply(to: targetTableName)
            case .changeColumns(let pattern, let action): columnRules.append((pattern, action))
            case .addColumn(let column): addedColumns.append((rule.id, column))
            case .changeType(let pattern, let type): typeChanges.append((rule.id, pattern, type))
            }
        }
        self.targetTableName = targetTableName
        self.columnRules = columnRules
        self.hasIncludeRules = columnRules.contains { if case .include = $0.action { true } else { false } }
        self.addedColumns = addedColumns
        self.typeChanges = typeChanges
    }

    /// The type a change-data-type rule gives a source column (the last matching rule's), and the rule's id.
    func typeChange(forColumn column: String) -> (ruleId: String, type: ColumnDataType)? {
        guard !typeChanges.isEmpty, let change = typeChanges.last(where: { $0.pattern.matches(column) }) else {
            return nil
        }
        return (change.ruleId, change.type)
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
