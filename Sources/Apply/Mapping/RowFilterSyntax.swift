import Shared

/// Reads a selection rule's `filters` (the DMS User Guide, "Using source filters"): `filter-type: source`, a
/// `column-name`, and `filter-conditions` whose `filter-operator` is `eq`, `noteq`, `ste`/`lte`, `gte`, `between`,
/// `notbetween` (`start-value`, `end-value`), `null` or `notnull`. Values are checked against the column's type
/// by capture, which knows the columns.
enum RowFilterSyntax {
    static func parse(
        _ fields: RuleFields, rule: String, action: SelectionRule.Action
    ) throws(TableMappingsError) -> RowFilter? {
        guard let entries = try fields.optionalArray("filters"), !entries.isEmpty else { return nil }
        // DMS applies filters only to rules that include tables; on an exclude they would mean nothing.
        guard action != .exclude else { throw fields.failure("'filters' apply only to include rules, not to exclude") }
        var columns: [ColumnFilter] = []
        for (index, entry) in entries.enumerated() {
            guard case .object(let object) = entry else { throw fields.failure("'filters[\(index)]' must be an object") }
            columns.append(try columnFilter(RuleFields(object, rule: fields.rule, path: "filters[\(index)].")))
        }
        return RowFilter(rule: rule, columns: columns)
    }

    private static func columnFilter(_ fields: RuleFields) throws(TableMappingsError) -> ColumnFilter {
        let type = try fields.string("filter-type")
        guard type == "source" else {
            throw fields.failure("\(fields.label("filter-type")) is '\(type)'; the only filter type is 'source'")
        }
        let column = try fields.string("column-name")
        guard let entries = try fields.optionalArray("filter-conditions"), !entries.isEmpty else {
            throw fields.failure("\(fields.label("filter-conditions")) must list at least one condition")
        }
        var conditions: [FilterCondition] = []
        for (index, entry) in entries.enumerated() {
            guard case .object(let object) = entry else {
                throw fields.failure("\(fields.label("filter-conditions[\(index)]")) must be an object")
            }
            conditions.append(
                try condition(RuleFields(object, rule: fields.rule, path: fields.path + "filter-conditions[\(index)].")))
        }
        // As DMS: one negative condition per filter (two would OR to nearly everything, never what was meant).
        guard conditions.filter(\.isNegative).count <= 1 else {
            throw fields.failure(
                "the filter on column '\(column)' has more than one negative condition (noteq, notbetween, notnull); "
                    + "DMS allows one per filter — AND them as separate filters instead")
        }
        return ColumnFilter(column: column, conditions: conditions)
    }

    private static func condition(_ fields: RuleFields) throws(TableMappingsError) -> FilterCondition {
        let name = try fields.string("filter-operator")
        switch name {
        case "eq": return .equal(try value(fields, "value"))
        case "noteq": return .notEqual(try value(fields, "value"))
        case "ste", "lte": return .atMost(try value(fields, "value"))
        case "gte": return .atLeast(try value(fields, "value"))
        case "between": return .between(try value(fields, "start-value"), try value(fields, "end-value"))
        case "notbetween": return .notBetween(try value(fields, "start-value"), try value(fields, "end-value"))
        case "null": return .isNull
        case "notnull": return .isNotNull
        default:
            throw fields.failure(
                "\(fields.label("filter-operator")) '\(name)' is not one of eq, noteq, ste, lte, gte, between, "
                    + "notbetween, null, notnull")
        }
    }

    /// A value as DMS writes it: a string (`"100"`); a JSON number is taken as its digits.
    private static func value(_ fields: RuleFields, _ key: String) throws(TableMappingsError) -> String {
        switch fields.value(key) {
        case .string(let text)?: return text
        case .number(let digits)?: return digits
        case nil: throw fields.failure("\(fields.label(key)) is missing")
        default: throw fields.failure("\(fields.label(key)) must be a string")
        }
    }
}
