/// A `selection` rule: which source tables ferry captures and applies.
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

    init(_ fields: RuleFields, id: String) throws(TableMappingsError) {
        let actionName = try fields.string("rule-action")
        guard let action = Action(rawValue: actionName) else {
            throw fields.failure(
                "unknown rule-action '\(actionName)' for a selection rule (expected include, exclude or explicit)")
        }
        // Filters select rows; ferry replicates whole tables, so a filter would silently be ignored.
        if let filters = try fields.optionalArray("filters"), !filters.isEmpty {
            throw fields.failure("selection filters are not supported: ferry replicates whole tables")
        }
        let locator = try fields.object("object-locator")
        self.id = id
        self.action = action
        self.schema = try locator.pattern("schema-name", wildcards: action != .explicit)
        self.table = try locator.pattern("table-name", wildcards: action != .explicit)
    }

    func matches(schema: String, table: String) -> Bool {
        self.schema.matches(schema) && self.table.matches(table)
    }
}
