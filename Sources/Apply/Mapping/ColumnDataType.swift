import Foundation
import Shared

/// A column's DMS `data-type` (`type`, `length`, `precision`, `scale`) as add-column and change-data-type rules
/// give it, and the conversion of a value to it. A value that does not fit is the row's error
/// (`MappingError.invalidValue`, dead-lettered): ferry never cuts or rounds away data silently, except to `scale`.
enum ColumnDataType: Sendable, Hashable {
    /// Text, at most `length` characters when given.
    case string(length: Int?)
    /// An integer of `bits` bits, signed or not.
    case integer(bits: Int, signed: Bool)
    /// A number rounded to `scale` decimals, with at most `precision` digits when given.
    case numeric(precision: Int?, scale: Int?)
    case real
    case boolean
    /// No data-type given: the expression's own type decides.
    case inferred

    /// - Parameter action: the rule action, for the message refusing a type it does not support.
    init(_ dataType: RuleFields, action: String) throws(TableMappingsError) {
        let typeName = try dataType.string("type")
        switch typeName.lowercased() {
        case "string", "wstring", "clob", "nclob": self = .string(length: try Self.size("length", dataType))
        case "date", "time", "datetime": self = .string(length: nil)
        case "int1", "int2", "int4", "int8", "uint1", "uint2", "uint4", "uint8":
            let name = typeName.lowercased()
            self = .integer(bits: 8 * (name.last?.wholeNumberValue ?? 8), signed: !name.hasPrefix("u"))
        case "numeric":
            self = .numeric(precision: try Self.size("precision", dataType), scale: try Self.size("scale", dataType))
        case "real4", "real8": self = .real
        case "boolean": self = .boolean
        default:
            throw dataType.failure("'data-type.type' '\(typeName)' is not supported for \(action)")
        }
    }

    /// A non-negative size field (`length`, `precision`, `scale`), a number or a numeric string.
    private static func size(_ key: String, _ fields: RuleFields) throws(TableMappingsError) -> Int? {
        guard let value = fields.value(key) else { return nil }
        let text: String? =
            switch value {
            case .number(let digits): digits
            case .string(let digits): digits
            default: nil
            }
        guard let text, let size = Int(text), size >= 0 else {
            throw fields.failure("\(fields.label(key)) must be a non-negative integer")
        }
        return size
    }

    /// `result` (an expression's value, or a column's as SQLite sees it) converted to this type; nil for NULL.
    /// `exact` is the column's own value when the result is just that column: it keeps a numeric's digits and a
    /// document's text where SQLite would read a double.
    func value(of result: SQLValue, exact: JSONValue?, ruleId: String, attribute: String) throws(MappingError)
        -> JSONValue?
    {
        guard let text = result.text else { return nil }
        func invalid(_ expected: String) -> MappingError {
            .invalidValue(ruleId: ruleId, attribute: attribute, value: text, expected: expected)
        }
        switch self {
        case .inferred:
            if let exact { return exact }
            switch result {
            case .integer(let value): return .number(String(value))
            case .real: return JSONValue.number(exactly: text) ?? .string(text)
            case .null, .text: return .string(text)
            }
        case .string(let length):
            let string = exact?.templateText ?? text
            if let length, string.count > length { throw invalid("a string of at most \(length) characters") }
            return .string(string)
        case .integer(let bits, let signed):
            let range: ClosedRange<Int64> =
                signed ? (Int64.min >> (64 - bits))...(Int64.max >> (64 - bits))
                : 0...(bits == 64 ? Int64.max : (Int64(1) << bits) - 1)
            guard case .integer(let integer) = SQLValue.integral(result.withNumericAffinity), range.contains(integer)
            else { throw invalid("an integer in \(range.lowerBound)...\(range.upperBound)") }
            return .number(String(integer))
        case .numeric(let precision, let scale):
            let digits: String? =
                if case .number(let digits)? = exact { digits } else if case .text = result, !result.withNumericAffinity.isText {
                    text.trimmingCharacters(in: .whitespaces)
                } else if case .text = result { nil } else { text }
            guard let digits, var decimal = Decimal(string: digits), digits.range(of: "[0-9]", options: .regularExpression) != nil
            else { throw invalid("a number") }
            if let scale {
                var unrounded = decimal
                NSDecimalRound(&decimal, &unrounded, scale, .plain)
            }
            if let precision {
                let limit = pow(Decimal(10), precision - (scale ?? 0))
                guard decimal.magnitude < limit else {
                    throw invalid("a number with at most \(precision - (scale ?? 0)) digits before the point")
                }
            }
            return .number("\(decimal)")
        case .real:
            if case .number? = exact { return exact }
            guard !result.withNumericAffinity.isText, let number = JSONValue.number(exactly: SQLValue.render(result.doubleValue))
            else { throw invalid("a number") }
            return number
        case .boolean:
            switch result.withNumericAffinity {
            case .integer, .real: return .bool(result.truth == true)
            default:
                switch text.lowercased() {
                case "true": return .bool(true)
                case "false": return .bool(false)
                default: throw invalid("a boolean")
                }
            }
        }
    }
}

extension SQLValue {
    fileprivate var isText: Bool {
        if case .text = self { return true }
        return false
    }
}
