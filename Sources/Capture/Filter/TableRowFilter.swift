import Shared

/// The rows capture reads of one table: the `filters` of the rules selecting it, typed against its columns. One
/// definition serves both sides: the snapshot's `WHERE` (`sqlCondition`) and the stream's evaluation of a decoded
/// row (`matches`), with PostgreSQL's ordering of each type (`FilterColumnKind`). Rules are OR'ed, a rule's
/// columns AND'ed, a column's conditions OR'ed.
struct TableRowFilter: Sendable {
    struct Column: Sendable {
        var index: Int
        var name: String
        var typeName: String
        var kind: FilterColumnKind
        var conditions: [FilterCondition]
        var typed: [FilterComparison<FilterOperand>]
    }

    struct Rule: Sendable {
        var id: String
        var columns: [Column]
    }

    let rules: [Rule]
    /// Indexes of the columns any rule reads.
    let columnIndexes: Set<Int>

    /// A column value as the evaluation sees it.
    enum Input {
        case null
        /// Not in this row image (a key-only old row, an unsent TOAST value): the filter may not decide.
        case unknown
        case text(String)
    }

    /// nil when `filters` is empty (every row).
    init?(_ filters: [RowFilter], columns: [(name: String, type: PostgresColumnType)]) throws(RowFilterError) {
        guard !filters.isEmpty else { return nil }
        var rules: [Rule] = []
        for filter in filters {
            var typedColumns: [Column] = []
            for columnFilter in filter.columns {
                guard let index = columns.firstIndex(where: { $0.name == columnFilter.column }) else {
                    throw RowFilterError(
                        rule: filter.rule,
                        problem: "filters column '\(columnFilter.column)', which the table does not have (names are case-sensitive)")
                }
                let type = columns[index].type
                guard let kind = FilterColumnKind(type) else {
                    throw RowFilterError(
                        rule: filter.rule,
                        problem: "filters column '\(columnFilter.column)' of type \(type.recordTypeName); filters support "
                            + FilterColumnKind.supportedTypes)
                }
                let typed = try columnFilter.conditions.map { condition throws(RowFilterError) in
                    try condition.map { text throws(RowFilterError) in
                        guard let operand = kind.operand(literal: text) else {
                            throw RowFilterError(
                                rule: filter.rule,
                                problem: "'\(text)' is not a value of column '\(columnFilter.column)' (\(type.name))"
                                    + Self.formatHint(kind))
                        }
                        return operand
                    }
                }
                typedColumns.append(
                    Column(index: index, name: columnFilter.column, typeName: type.name, kind: kind,
                        conditions: columnFilter.conditions, typed: typed))
            }
            rules.append(Rule(id: filter.rule, columns: typedColumns))
        }
        self.rules = rules
        columnIndexes = Set(rules.flatMap { $0.columns.map(\.index) })
    }

    private static func formatHint(_ kind: FilterColumnKind) -> String {
        switch kind {
        case .date: "; write dates as YYYY-MM-DD"
        case .timestamp: "; write YYYY-MM-DD or YYYY-MM-DD HH:MM:SS[.ffffff], without a zone"
        case .timestamptz: "; write YYYY-MM-DD or YYYY-MM-DD HH:MM:SS[.ffffff][Z|±HH:MM] (UTC without a zone)"
        case .integer: "; write an integer within the type's range"
        default: ""
        }
    }

    /// The `WHERE` condition selecting the rows, for the snapshot.
    var sqlCondition: String {
        let alternatives = rules.map { rule in
            rule.columns.map { column in
                "(" + column.conditions.map { Self.sql($0, column) }.joined(separator: " OR ") + ")"
            }.joined(separator: " AND ")
        }
        return alternatives.count == 1 ? alternatives[0] : alternatives.map { "(\($0))" }.joined(separator: " OR ")
    }

    private static func sql(_ condition: FilterCondition, _ column: Column) -> String {
        let name = SQLIdentifier.quote(column.name) + (column.kind.isText ? " COLLATE \"C\"" : "")
        let literal = { (value: String) in column.kind.sqlLiteral(value, typeName: column.typeName) }
        switch condition {
        case .equal(let value): return "\(name) = \(literal(value))"
        case .notEqual(let value): return "\(name) <> \(literal(value))"
        case .atMost(let value): return "\(name) <= \(literal(value))"
        case .atLeast(let value): return "\(name) >= \(literal(value))"
        case .between(let start, let end): return "\(name) BETWEEN \(literal(start)) AND \(literal(end))"
        case .notBetween(let start, let end): return "\(name) NOT BETWEEN \(literal(start)) AND \(literal(end))"
        case .isNull: return "\(SQLIdentifier.quote(column.name)) IS NULL"
        case .isNotNull: return "\(SQLIdentifier.quote(column.name)) IS NOT NULL"
        }
    }

    /// Whether the row is one the filter takes: true, false, or nil when a column it needs is `unknown` and the
    /// others do not settle it. Throws when a value is not readable as its type.
    func matches(_ value: (Int) -> Input) throws(RowFilterError) -> Bool? {
        var undecided = false
        for rule in rules {
            switch try matches(rule, value) {
            case true?: return true
            case nil: undecided = true
            case false?: break
            }
        }
        return undecided ? nil : false
    }

    private func matches(_ rule: Rule, _ value: (Int) -> Input) throws(RowFilterError) -> Bool? {
        var undecided = false
        for column in rule.columns {
            let operand: FilterOperand?
            switch value(column.index) {
            case .unknown:
                undecided = true
                continue
            case .null: operand = nil
            case .text(let text):
                guard let typed = column.kind.value(text) else {
                    throw RowFilterError(
                        rule: rule.id, problem: "column '\(column.name)' holds '\(text)', unreadable as \(column.typeName)")
                }
                operand = typed
            }
            if !column.typed.contains(where: { $0.holds(for: operand) }) { return false }
        }
        return undecided ? nil : true
    }
}

extension FilterComparison where Value: Comparable {
    /// Whether a value (nil: SQL NULL) satisfies the comparison; a NULL satisfies only `isNull`, as in a WHERE.
    func holds(for value: Value?) -> Bool {
        guard let value else {
            if case .isNull = self { return true }
            return false
        }
        switch self {
        case .equal(let other): return value == other
        case .notEqual(let other): return value != other
        case .atMost(let other): return value <= other
        case .atLeast(let other): return value >= other
        case .between(let start, let end): return start <= value && value <= end
        case .notBetween(let start, let end): return value < start || end < value
        case .isNull: return false
        case .isNotNull: return true
        }
    }
}

/// A filter (or range) a table's rows cannot be compared with, naming the rule.
public struct RowFilterError: Error, Sendable, Equatable, CustomStringConvertible {
    public var rule: String
    public var problem: String

    public var description: String { "table mappings, rule-id \(rule): \(problem)" }
}

extension SourceTable {
    /// The columns as filters and ranges are typed against.
    var filterColumns: [(name: String, type: PostgresColumnType)] { columns.map { ($0.name, $0.type) } }

    /// The SQL condition selecting the rows `filters` take (nil: every row), as capture's snapshot reads them;
    /// `ferry validate` compares the same rows.
    public func rowFilterCondition(_ filters: [RowFilter]) throws(RowFilterError) -> String? {
        try TableRowFilter(filters, columns: filterColumns)?.sqlCondition
    }
}
