/// A DMS selection rule's source `filters`, as the mappings file states them (values still text): the rows of a
/// table the rule takes. Its columns are AND'ed, the conditions on one column OR'ed (the DMS User Guide, "Using
/// source filters"). Parsed by `TableMappings` (Apply); typed against the table's columns and evaluated by capture.
public struct RowFilter: Sendable, Hashable {
    /// The rule-id of the selection rule, for every message about the filter.
    public var rule: String
    /// At least one; a row must satisfy each.
    public var columns: [ColumnFilter]

    public init(rule: String, columns: [ColumnFilter]) {
        self.rule = rule
        self.columns = columns
    }
}

/// One `filters` entry: conditions on one column, of which a row must satisfy at least one.
public struct ColumnFilter: Sendable, Hashable {
    public var column: String
    public var conditions: [FilterCondition]

    public init(column: String, conditions: [FilterCondition]) {
        self.column = column
        self.conditions = conditions
    }
}

/// One `filter-conditions` entry, its values as the file writes them.
public typealias FilterCondition = FilterComparison<String>

/// A `filter-operator` with its values, of any type: text as parsed, typed values where capture compares them.
/// SQL semantics: a NULL satisfies only `isNull`.
public enum FilterComparison<Value: Sendable>: Sendable {
    /// `eq`
    case equal(Value)
    /// `noteq`
    case notEqual(Value)
    /// `ste` (and its alias `lte`): at most the value.
    case atMost(Value)
    /// `gte`: at least the value.
    case atLeast(Value)
    /// `between`: start ≤ value ≤ end.
    case between(Value, Value)
    /// `notbetween`: below start or above end.
    case notBetween(Value, Value)
    /// `null`
    case isNull
    /// `notnull`
    case isNotNull

    /// The same comparison with each value transformed.
    public func map<Other, Failure: Error>(
        _ transform: (Value) throws(Failure) -> Other
    ) throws(Failure) -> FilterComparison<Other> {
        switch self {
        case .equal(let value): .equal(try transform(value))
        case .notEqual(let value): .notEqual(try transform(value))
        case .atMost(let value): .atMost(try transform(value))
        case .atLeast(let value): .atLeast(try transform(value))
        case .between(let start, let end): .between(try transform(start), try transform(end))
        case .notBetween(let start, let end): .notBetween(try transform(start), try transform(end))
        case .isNull: .isNull
        case .isNotNull: .isNotNull
        }
    }

    /// The negative operators, of which DMS allows one per filter.
    public var isNegative: Bool {
        switch self {
        case .notEqual, .notBetween, .isNotNull: true
        default: false
        }
    }
}

extension FilterComparison: Equatable where Value: Equatable {}
extension FilterComparison: Hashable where Value: Hashable {}
