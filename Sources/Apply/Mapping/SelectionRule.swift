import Shared

/// A `selection` rule: which source tables ferry captures and applies, and which of their rows capture reads.
struct SelectionRule: Sendable {
    enum Action: String, Sendable {
        case include, exclude
        /// Selects exactly the named table: its names are not patterns.
        case explicit
    }

    let id: String
    let action: Action
    let schema: NamePattern
    let table: NamePattern
    /// The rule's source `filters`; nil when it has none (every row).
    let filter: RowFilter?
    /// `load-order`: tables of a higher number are loaded first.
    let loadOrder: Int?

    init(_ fields: RuleFields, id: String) throws(TableMappingsError) {
        let actionName = try fields.string("rule-action")
        guard let action = Action(rawValue: actionName) else {
            throw fields.failure(
                "unknown rule-action '\(actionName)' for a selection rule (expected include, exclude or explicit)")
        }
        let locator = try fields.object("object-locator")
        self.id = id
        self.action = action
        self.schema = try locator.pattern("schema-name", wildcards: action != .explicit)
        self.table = try locator.pattern("table-name", wildcards: action != .explicit)
        self.filter = try RowFilterSyntax.parse(fields, rule: id, action: action)
        self.loadOrder = try fields.optionalInteger("load-order")
    }

    func matches(schema: String, table: String) -> Bool {
        self.schema.matches(schema) && self.table.matches(table)
    }
}
