/// A `transformation` rule that changes what ferry writes: a table's target name, or a column's attribute
/// name, presence or an added column. Schema-level rules are checked but dropped (DynamoDB has no schemas).
struct TransformationRule: Sendable {
    enum Effect: Sendable {
        case renameTable(NameChange)
        case changeColumns(NamePattern, ColumnAction)
        case addColumn(AddedColumn)
        /// change-data-type: the matching columns' values are converted to this type.
        case changeType(NamePattern, ColumnDataType)
    }

    enum ColumnAction: Sendable {
        case rename(NameChange)
        case remove
        /// Once a table has any include-column rule, only the columns such rules name are kept.
        case include
    }

    let id: String
    /// The source tables the rule applies to.
    let schema: NamePattern
    let table: NamePattern
    let effect: Effect

    /// nil for a valid rule that has no effect on DynamoDB (a schema rule).
    static func parse(_ fields: RuleFields, id: String) throws(TableMappingsError) -> TransformationRule? {
        let target = try fields.string("rule-target")
        let actionName = try fields.string("rule-action")
        let locator = try fields.object("object-locator")
        if locator.value("data-type") != nil {
            throw fields.failure("'object-locator.data-type' (matching columns by type) is not supported")
        }
        switch target {
        case "schema":
            _ = try locator.pattern("schema-name")
            _ = try NameChange(actionName, target: target, fields: fields)
            return nil
        case "table":
            return TransformationRule(
                id: id, schema: try locator.pattern("schema-name"), table: try locator.pattern("table-name"),
                effect: .renameTable(try NameChange(actionName, target: target, fields: fields)))
        case "column":
            let schema = try locator.pattern("schema-name")
            let table = try locator.pattern("table-name")
            if actionName == "add-column" {
                return TransformationRule(
                    id: id, schema: schema, table: table, effect: .addColumn(try AddedColumn(fields)))
            }
            let column = try locator.pattern("column-name")
            if actionName == "change-data-type" {
                let type = try ColumnDataType(try fields.object("data-type"), action: actionName)
                return TransformationRule(id: id, schema: schema, table: table, effect: .changeType(column, type))
            }
            let action: ColumnAction =
                switch actionName {
                case "remove-column": .remove
                case "include-column": .include
                default: .rename(try NameChange(actionName, target: target, fields: fields))
                }
            return TransformationRule(id: id, schema: schema, table: table, effect: .changeColumns(column, action))
        case "table-tablespace", "index-tablespace":
            throw fields.failure("rule-target '\(target)' has no meaning for a DynamoDB target")
        default:
            throw fields.failure("unknown rule-target '\(target)' (expected schema, table or column)")
        }
    }

    func appliesTo(schema: String, table: String) -> Bool {
        self.schema.matches(schema) && self.table.matches(table)
    }
}

/// The renaming actions, shared by schema, table and column rules.
enum NameChange: Sendable, Hashable {
    case rename(String)
    case lowercase
    case uppercase
    case addPrefix(String)
    case removePrefix(String)
    case replacePrefix(old: String, new: String)
    case addSuffix(String)
    case removeSuffix(String)
    case replaceSuffix(old: String, new: String)

    init(_ action: String, target: String, fields: RuleFields) throws(TableMappingsError) {
        switch action {
        case "rename": self = .rename(try fields.string("value"))
        case "convert-lowercase": self = .lowercase
        case "convert-uppercase": self = .uppercase
        case "add-prefix": self = .addPrefix(try fields.string("value"))
        case "remove-prefix": self = .removePrefix(try fields.string("value"))
        case "replace-prefix":
            self = .replacePrefix(old: try fields.string("old-value"), new: try fields.string("value"))
        case "add-suffix": self = .addSuffix(try fields.string("value"))
        case "remove-suffix": self = .removeSuffix(try fields.string("value"))
        case "replace-suffix":
            self = .replaceSuffix(old: try fields.string("old-value"), new: try fields.string("value"))
        case "define-primary-key":
            throw fields.failure(
                "define-primary-key is not supported: keys come from the object-mapping partition-key-name and "
                    + "sort-key-name, or from the DynamoDB table's key schema")
        case "add-before-image-columns":
            throw fields.failure(
                "rule-action 'add-before-image-columns' is not supported: PostgreSQL's logical decoding sends a row's "
                    + "old values only when its key changes or under REPLICA IDENTITY FULL, so most before-image "
                    + "columns would be empty")
        case "data-masking-digits-mask", "data-masking-digits-randomize", "data-masking-hash-mask":
            throw fields.failure(
                "rule-action '\(action)' is not supported: leave the column out with remove-column, or add a "
                    + "masked copy with an add-column expression such as '***' || substr($col, -4)")
        default:
            throw fields.failure("unknown rule-action '\(action)' for rule-target \(target)")
        }
    }

    func apply(to name: String) -> String {
        switch self {
        case .rename(let newName): newName
        case .lowercase: name.lowercased()
        case .uppercase: name.uppercased()
        case .addPrefix(let prefix): prefix + name
        case .removePrefix(let prefix): name.hasPrefix(prefix) ? String(name.dropFirst(prefix.count)) : name
        case .replacePrefix(let old, let new): name.hasPrefix(old) ? new + name.dropFirst(old.count) : name
        case .addSuffix(let suffix): name + suffix
        case .removeSuffix(let suffix): name.hasSuffix(suffix) ? String(name.dropLast(suffix.count)) : name
        case .replaceSuffix(let old, let new): name.hasSuffix(old) ? name.dropLast(old.count) + new : name
        }
    }
}

/// An `add-column` rule's column: its name (`value`), how its content is computed (`expression`; without
/// one the column is NULL, hence absent from items) and the type its `data-type` gives the value.
struct AddedColumn: Sendable {
    let name: String
    let expression: AddColumnExpression?
    let valueType: ColumnDataType

    init(_ fields: RuleFields) throws(TableMappingsError) {
        name = try fields.string("value")
        if let text = try fields.optionalString("expression") {
            do throws(TemplateSyntaxError) {
                expression = try AddColumnExpression(parsing: text)
            } catch {
                throw fields.failure(error.reason)
            }
        } else {
            expression = nil
        }
        valueType = try fields.optionalObject("data-type").map { dataType throws(TableMappingsError) in
            try ColumnDataType(dataType, action: "add-column")
        } ?? .inferred
    }
}
