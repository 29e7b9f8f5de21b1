/// A column as the Debezium encoder describes it: what Debezium's PostgreSQL connector reads from the catalog to
/// choose its Connect schema (the type, its modifier, nullability, whether it is an enum).
public struct DebeziumColumn: Sendable, Hashable {
    public var name: String
    public var type: PostgresColumnType
    /// `atttypmod`: `numeric(p,s)`'s precision and scale, `time(p)` and `timestamp(p)`'s precision; -1 for none.
    public var typeModifier: Int32
    public var isOptional: Bool
    public var isEnum: Bool

    public init(name: String, type: PostgresColumnType, typeModifier: Int32 = -1, isOptional: Bool = true, isEnum: Bool = false) {
        self.name = name
        self.type = type
        self.typeModifier = typeModifier
        self.isOptional = isOptional
        self.isEnum = isEnum
    }

    /// `numeric(p,s)`: the precision and scale its modifier holds (`((p << 16) | s) + 4`); nil when unconstrained.
    var numericPrecisionAndScale: (precision: Int, scale: Int)? {
        guard typeModifier >= 4 else { return nil }
        let packed = Int(typeModifier) - 4
        return (packed >> 16 & 0xFFFF, packed & 0xFFFF)
    }

    /// `time(p)`, `timestamp(p)`: the fraction digits kept; 6 when unconstrained.
    var timePrecision: Int {
        typeModifier >= 0 ? Int(typeModifier) : 6
    }
}

/// How `numeric` columns are written (Debezium's `decimal.handling.mode`).
public enum DebeziumDecimalHandling: String, Sendable, CaseIterable {
    /// Connect's `Decimal` (base64 unscaled bytes, scale and precision from the column), `VariableScaleDecimal`
    /// for an unconstrained `numeric`: exact.
    case precise
    /// The decimal text, exact.
    case string
    /// A JSON double: loses digits beyond 15-17 significant ones.
    case double
}

/// A column value Debezium's format has no form for (a BC date, an infinity, more fraction digits than the
/// column's scale): capture stops rather than write something else.
public struct DebeziumEncodingError: Error, CustomStringConvertible, Sendable, Hashable {
    public var table: String
    public var column: String
    public var reason: String

    public var description: String {
        "column \(column) of \(table): \(reason); Debezium's format has no form for it — capture this table with "
            + "--record-format ferry"
    }
}
