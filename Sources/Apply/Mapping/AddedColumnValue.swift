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
        var exact: JSONValue?
        if case .column(let column) = expression.root { exact = row[column] }
        return try valueType.value(of: result, exact: exact, ruleId: ruleId, attribute: name)
    }
}
