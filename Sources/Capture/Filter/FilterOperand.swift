import Shared

/// How a column of a type filters and snapshot ranges support compares: with PostgreSQL's ordering of the type.
/// Text compares by code point (UTF-8 bytes), as `COLLATE "C"` does; the snapshot's SQL says `COLLATE "C"`, so
/// the snapshot and the stream agree whatever the column's collation.
enum FilterColumnKind: Sendable, Equatable {
    case integer(bits: Int)
    case numeric
    case float4, float8
    case text
    /// `char(n)`: trailing blanks do not count.
    case blankPadded
    case date, timestamp, timestamptz

    /// The kind of a column's type; nil for a type filters do not support (arrays, bool, uuid, json, time, ...).
    init?(_ type: PostgresColumnType) {
        guard !type.isArray else { return nil }
        switch type.name {
        case "int2": self = .integer(bits: 16)
        case "int4": self = .integer(bits: 32)
        case "int8": self = .integer(bits: 64)
        case "numeric": self = .numeric
        case "float4": self = .float4
        case "float8": self = .float8
        case "text", "varchar": self = .text
        case "bpchar": self = .blankPadded
        case "date": self = .date
        case "timestamp": self = .timestamp
        case "timestamptz": self = .timestamptz
        default: return nil
        }
    }

    static let supportedTypes = "int2, int4, int8, numeric, float4, float8, text, varchar, char, date, timestamp, timestamptz"

    var isText: Bool { self == .text || self == .blankPadded }

    /// A value from the mappings file; nil when PostgreSQL would not read it as this type, or would read it
    /// otherwise than DMS documents (a date with a time, a timestamp with a zone, more than six fraction digits).
    func operand(literal text: String) -> FilterOperand? {
        guard !text.utf8.contains(0) else { return nil }
        switch self {
        case .integer(let bits):
            let digits = text.trimmingBlanks
            guard let value = Int64(digits.hasPrefix("+") ? String(digits.dropFirst()) : digits) else { return nil }
            let limit = bits == 64 ? Int64.max : (Int64(1) << (bits - 1)) - 1
            guard value >= -limit - 1, value <= limit else { return nil }
            return FilterDecimal(String(value)).map(FilterOperand.decimal)
        case .date: return FilterDateTime.dateLiteral(text).map(FilterOperand.instant)
        case .timestamp: return FilterDateTime.timestampLiteral(text, withZone: false).map(FilterOperand.instant)
        case .timestamptz: return FilterDateTime.timestampLiteral(text, withZone: true).map(FilterOperand.instant)
        case .numeric, .float4, .float8, .text, .blankPadded: return value(text)
        }
    }

    /// A column's value as PostgreSQL prints it (text output, capture's session settings); nil if unreadable.
    func value(_ text: String) -> FilterOperand? {
        switch self {
        case .integer, .numeric: FilterDecimal(text).map(FilterOperand.decimal)
        case .float4: Float(text.trimmingBlanks).map { .float(Double($0)) }
        case .float8: Double(text.trimmingBlanks).map(FilterOperand.float)
        case .text: .text(Array(text.utf8))
        case .blankPadded: .text(Array(text.utf8.reversed().drop(while: { $0 == 0x20 }).reversed()))
        case .date: FilterDateTime.dateValue(text).map(FilterOperand.instant)
        case .timestamp, .timestamptz: FilterDateTime.timestampValue(text).map(FilterOperand.instant)
        }
    }

    /// The literal form of `value` in SQL, as this type: `E'…'::pg_catalog."int4"`. An E-string whatever
    /// `standard_conforming_strings` says; quotes and backslashes escaped, so no value leaves its literal.
    func sqlLiteral(_ value: String, typeName: String) -> String {
        let escaped = value.replacing("\\", with: "\\\\").replacing("'", with: "''")
        return "E'\(escaped)'::pg_catalog.\(SQLIdentifier.quote(typeName))"
    }
}

/// A typed value a filter compares: one case per kind family, compared only with its own kind.
enum FilterOperand: Comparable, Sendable {
    case decimal(FilterDecimal)
    /// float4 and float8; NaN equals NaN and sorts above every number, as in PostgreSQL.
    case float(Double)
    case text([UInt8])
    case instant(Int64)

    static func < (lhs: FilterOperand, rhs: FilterOperand) -> Bool {
        switch (lhs, rhs) {
        case (.decimal(let l), .decimal(let r)): l < r
        case (.float(let l), .float(let r)): l.isNaN ? false : (r.isNaN ? true : l < r)
        case (.text(let l), .text(let r)): l.lexicographicallyPrecedes(r)
        case (.instant(let l), .instant(let r)): l < r
        default: false
        }
    }

    static func == (lhs: FilterOperand, rhs: FilterOperand) -> Bool {
        switch (lhs, rhs) {
        case (.decimal(let l), .decimal(let r)): l == r
        case (.float(let l), .float(let r)): l == r || (l.isNaN && r.isNaN)
        case (.text(let l), .text(let r)): l == r
        case (.instant(let l), .instant(let r)): l == r
        default: false
        }
    }
}

extension String {
    /// Without leading and trailing blanks (PostgreSQL's number input allows them).
    var trimmingBlanks: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
