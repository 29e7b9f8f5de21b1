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
        try Self.checkTableType(locator)
        self.id = id
        self.action = action
        self.schema = try locator.pattern("schema-name", wildcards: action != .explicit)
        self.table = try locator.pattern("table-name", wildcards: action != .explicit)
        self.filter = try RowFilterSyntax.parse(fields, rule: id, action: action)
        self.loadOrder = try fields.optionalInteger("load-order")
    }

    /// DMS's `table-type` picks tables, views or both. Ferry captures tables only (a view's changes are not in the
    /// WAL), so a rule about views would select or exclude the wrong objects.
    private static func checkTableType(_ locator: RuleFields) throws(TableMappingsError) {
        switch try locator.optionalString("table-type") {
        case nil, "table", "all": return
        case "view":
            throw locator.failure(
                "\(locator.label("table-type")) 'view' is not supported: ferry captures tables only (a view's changes "
                    + "are not in the WAL); select the tables behind the view, or drop the rule if it only excludes views")
        case let other?:
            throw locator.failure("unknown \(locator.label("table-type")) '\(other)' (expected table, view or all)")
        }
    }

    func matches(schema: String, table: String) -> Bool {
        self.schema.matches(schema) && self.table.matches(table)
    }
}
