/// Turns PostgreSQL's text output of a column value (pgoutput tuples, `COPY ... TO STDOUT`, libpq text results)
/// into the record's JSON value, following docs/design.md's "Column values".
///
/// Expects the session settings capture uses: `DateStyle=ISO, MDY`, `TimeZone=UTC`, `IntervalStyle=postgres`,
/// `extra_float_digits=3`, `bytea_output=hex`.
public enum PostgresTextValue {
    /// Converts one value; nil (SQL NULL) becomes `.null`.
    public static func decode(_ text: UnsafeRawBufferPointer?, as type: PostgresColumnType)
        throws(PostgresValueError) -> JSONValue
    {
        guard let text else { return .null }
        do {
            return type.isArray
                ? try PostgresArrayLiteral.decode(text, elementType: type)
                : try decodeScalar(text, as: type.category)
        } catch {
            throw PostgresValueError(typeName: type.recordTypeName, text: text, reason: error.reason)
        }
    }

    public static func decode(_ text: String?, as type: PostgresColumnType) throws(PostgresValueError) -> JSONValue {
        guard let text else { return .null }
        return try text.withUTF8Typed { bytes throws(PostgresValueError) in try decode(bytes, as: type) }
    }

    /// Converts one non-array value (also each element of an array).
    static func decodeScalar(_ text: UnsafeRawBufferPointer, as category: PostgresColumnType.Category)
        throws(InvalidPostgresText) -> JSONValue
    {
        switch category {
        case .integer:
            guard JSONNumberSyntax.isValidInteger(text) else { throw InvalidPostgresText(reason: "not an integer") }
            return .number(string(text))
        case .numeric, .float:
            if let special = nonFiniteNumber(text) { return .string(special) }
            guard JSONNumberSyntax.isValid(text) else { throw InvalidPostgresText(reason: "not a decimal number") }
            return .number(string(text))
        case .boolean:
            switch text.count == 1 ? text[0] : 0 {
            case UInt8(ascii: "t"): return .bool(true)
            case UInt8(ascii: "f"): return .bool(false)
            default: throw InvalidPostgresText(reason: "expected t or f")
            }
        case .date:
            return .string(try PostgresDateTime.date(text))
        case .timestamp:
            return .string(try PostgresDateTime.timestamp(text, withZone: false))
        case .timestamptz:
            return .string(try PostgresDateTime.timestamp(text, withZone: true))
        case .json:
            do {
                return try JSONParser.parse(text)
            } catch {
                throw InvalidPostgresText(reason: error.description)
            }
        case .bytea:
            return .string(try Base64.encode(hexBytea: text))
        case .text:
            if let offset = UTF8Validation.firstInvalidOffset(in: text) {
                throw InvalidPostgresText(reason: "invalid UTF-8 at byte \(offset)")
            }
            return .string(String(decoding: text, as: UTF8.self))
        }
    }

    /// `NaN`, `Infinity` and `-Infinity` have no JSON number form, so they travel as strings.
    private static let nonFiniteNumbers = ["NaN", "Infinity", "-Infinity"]

    private static func nonFiniteNumber(_ text: UnsafeRawBufferPointer) -> String? {
        nonFiniteNumbers.first { text.elementsEqual($0.utf8) }
    }

    /// Text already validated as ASCII.
    private static func string(_ ascii: UnsafeRawBufferPointer) -> String {
        String(decoding: ascii, as: UTF8.self)
    }
}
