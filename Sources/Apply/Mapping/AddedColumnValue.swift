import Shared

extension AddedColumn {
    /// This column's value for `row`, typed as the rule's `data-type` says; nil for NULL.
    func value(on row: JSONObject, ruleId: String) throws(MappingError) -> JSONValue? {
        guard let expression else { return nil }
        let result: JSONValue?
        do throws(MissingColumn) {
            result = try expression.evaluate(on: row)
        } catch {
            throw .missingColumn(ruleId: ruleId, column: error.name)
        }
        guard let result, let text = result.templateText else { return nil }
        func invalid(_ expected: String) -> MappingError {
            .invalidValue(ruleId: ruleId, attribute: name, value: text, expected: expected)
        }
        switch valueType {
        case .inferred:
            return result
        case .string:
            return .string(text)
        case .number:
            guard let number = JSONValue.number(exactly: text) else { throw invalid("a number") }
            return number
        case .boolean:
            switch text {
            case "true", "1": return .bool(true)
            case "false", "0": return .bool(false)
            default: throw invalid("a boolean")
            }
        }
    }
}
