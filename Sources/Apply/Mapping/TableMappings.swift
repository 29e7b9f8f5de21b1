import Shared

/// A user's AWS DMS `table-mappings.json`, accepted as is and checked in full at start-up: selection rules
/// (which tables), transformation rules (names, removed and added columns) and DynamoDB object-mapping
/// rules (how rows become items). See `ItemMapper` for how a table's rules are applied to rows.
public struct TableMappings: Sendable {
    let selectionRules: [SelectionRule]
    let transformationRules: [TransformationRule]
    let objectMappingRules: [ObjectMappingRule]
    let tableSettingsRules: [TableSettingsRule]
    /// Appended to every target table name (`ferry apply --table-suffix`): a backfill into new tables from the
    /// same topics and mappings while the live tables stay in use.
    public var targetTableSuffix = ""
    /// How time values are written (`--timestamp-format`): apply and validate map rows with the same setting.
    public var timestampFormat = TimestampFormat.fixed
    /// Keys that no rule of their kind defines, ignored (one message each, naming the rule and the nearest key):
    /// the caller logs them as warnings at start-up.
    public private(set) var warnings: [String] = []

    /// Parses and validates the JSON text of a table-mappings.json. Every invalid rule fails, naming its rule-id.
    public static func parse(_ bytes: [UInt8]) throws(TableMappingsError) -> TableMappings {
        let document: JSONValue
        do throws(JSONParseError) {
            document = try JSONParser.parse(bytes)
        } catch {
            throw TableMappingsError(rule: nil, problem: "not valid JSON: \(error)")
        }
        guard case .object(let root) = document, case .array(let rules)? = root["rules"] else {
            throw TableMappingsError(rule: nil, problem: "expected an object with a \"rules\" array")
        }

        var selection: [SelectionRule] = []
        var transformation: [TransformationRule] = []
        var objectMapping: [ObjectMappingRule] = []
        var tableSettings: [TableSettingsRule] = []
        var seenIds: Set<String> = []
        var warnings: [String] = []
        for (index, element) in rules.enumerated() {
            let position = RuleReference.position(index + 1)
            guard case .object(let object) = element else {
                throw TableMappingsError(rule: position, problem: "a rule must be an object")
            }
            let id = try ruleId(of: object, position: position)
            guard seenIds.insert(id).inserted else {
                throw TableMappingsError(rule: .id(id), problem: "another rule has the same rule-id")
            }
            let fields = RuleFields(object, rule: .id(id))
            let type = try fields.string("rule-type")
            warnings += RuleKeys.of(ruleType: type)?.unknownKeys(in: object, rule: .id(id)) ?? []
            switch type {
            case "selection":
                selection.append(try SelectionRule(fields, id: id))
            case "transformation":
                if let rule = try TransformationRule.parse(fields, id: id) { transformation.append(rule) }
            case "object-mapping":
                objectMapping.append(try ObjectMappingRule(fields, id: id))
            case "table-settings":
                let rule = try TableSettingsRule(fields, id: id)
                if let other = tableSettings.first(where: { $0.schema == rule.schema && $0.table == rule.table }) {
                    throw fields.failure(
                        "rule-id \(other.id) already holds the table settings of \(rule.schema).\(rule.table)")
                }
                tableSettings.append(rule)
                warnings += rule.warnings
            case "post-processing":
                throw fields.failure("rule-type '\(type)' is not supported")
            default:
                throw fields.failure(
                    "unknown rule-type '\(type)' (expected selection, transformation, table-settings or object-mapping)")
            }
        }
        // As in DMS: without an include rule nothing would be migrated, which is never what was meant.
        guard selection.contains(where: { $0.action != .exclude }) else {
            throw TableMappingsError(rule: nil, problem: "no selection rule includes any table")
        }
        var mappings = TableMappings(
            selectionRules: selection, transformationRules: transformation, objectMappingRules: objectMapping,
            tableSettingsRules: tableSettings)
        // DMS ignores settings for a table it does not migrate; say so rather than let a misspelled name pass.
        for rule in tableSettings where !mappings.isSelected(schema: rule.schema, table: rule.table) {
            warnings.append(
                "rule-id \(rule.id): table-settings for \(rule.schema).\(rule.table), which no selection rule includes: "
                    + "they have no effect (check the object-locator's schema-name and table-name)")
        }
        mappings.warnings = warnings
        return mappings
    }

    /// rule-id as DMS writes it (`"1"`) or as hand-written files sometimes do (`1`).
    private static func ruleId(of object: JSONObject, position: RuleReference) throws(TableMappingsError) -> String {
        switch object["rule-id"] {
        case .string(let id)? where !id.isEmpty: return id
        case .number(let digits)?: return digits
        case nil, .null?: throw TableMappingsError(rule: position, problem: "rule-id is missing")
        default: throw TableMappingsError(rule: position, problem: "rule-id must be a non-empty string or a number")
        }
    }

    /// Whether the selection rules take this table: some include (or explicit) rule matches it and no
    /// exclude rule does. An exclude wins wherever it appears, as in DMS.
    public func isSelected(schema: String, table: String) -> Bool {
        var isIncluded = false
        for rule in selectionRules where rule.matches(schema: schema, table: table) {
            if rule.action == .exclude { return false }
            isIncluded = true
        }
        return isIncluded
    }

    /// The candidates the selection rules take, in their given order.
    public func selectedTables(from candidates: [(schema: String, table: String)]) -> [(schema: String, table: String)]
    {
        candidates.filter { isSelected(schema: $0.schema, table: $0.table) }
    }

    /// How capture reads a selected table: the filters of the include rules that select it (none if one of them
    /// has no filter: that rule takes every row), the highest `load-order` among them, and its table-settings
    /// ranges.
    public func captureRules(schema: String, table: String) -> TableCaptureRules {
        var filters: [RowFilter] = []
        var everyRow = false
        var loadOrder: Int?
        for rule in selectionRules where rule.action != .exclude && rule.matches(schema: schema, table: table) {
            if let filter = rule.filter { filters.append(filter) } else { everyRow = true }
            if let order = rule.loadOrder { loadOrder = max(loadOrder ?? order, order) }
        }
        let ranges = tableSettingsRules.first { $0.schema == schema && $0.table == table }?.ranges
        return TableCaptureRules(rowFilters: everyRow ? [] : filters, loadOrder: loadOrder ?? 0, snapshotRanges: ranges)
    }
}
