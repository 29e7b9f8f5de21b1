import Foundation
import Shared

extension AddedColumn {
    /// This column's value for `row`, a row of the record `header` describes, typed as the rule's `data-type`
    /// says; nil for NULL, and without a `header` for an expression that reads one (validate leaves it out).
    /// An expression that is just `$COLUMN` keeps the column's exact value (a numeric's digits, a document)
    /// where SQLite would read it as a double; anything computed follows SQLite's types.
    func value(on row: JSONObject, header: RecordHeader?, ruleId: String) throws(MappingError) -> JSONValue? {
        guard let expression else { return nil }
        let result: SQLValue
        do throws(ExpressionEvaluationError) {
            result = try expression.evaluate(on: row, header: header)
        } catch {
            switch error {
            case .missingColumn(let column): throw .missingColumn(ruleId: ruleId, column: column)
            case .failed(let reason): throw .expressionFailed(ruleId: ruleId, attribute: name, reason: reason)
            case .needsRecordHeader: return nil
            }
        }
        guard let text = result.text else { return nil }
        var exact: JSONValue?
        if case .column(let column) = expression.root { exact = row[column] }
        func invalid(_ expected: String) -> MappingError {
            .invalidValue(ruleId: ruleId, attribute: name, value: text, expected: expected)
        }
        switch valueType {
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
