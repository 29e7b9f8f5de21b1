import Shared

/// An `add-column` rule's `expression`: DMS's SQLite expression language (literals, `$COLUMN`, operators,
/// CASE, CAST and the core and date/time functions; see `ExpressionParser` and `ExpressionEvaluator`), with the
/// `$AR_H_…`/`$AR_M_…` header variables and `operation_indicator()` filled from the record (`RecordHeader`).
struct AddColumnExpression: Sendable, Hashable {
    let root: ExpressionNode

    init(parsing text: String) throws(TemplateSyntaxError) {
        do throws(ExpressionSyntaxError) {
            root = try ExpressionParser.parse(text)
        } catch {
            throw TemplateSyntaxError(reason: "expression \"\(text)\" does not parse: \(error)")
        }
    }

    /// The expression's value for `row`, a row of the record `header` describes.
    func evaluate(on row: JSONObject, header: RecordHeader? = nil) throws(ExpressionEvaluationError) -> SQLValue {
        try ExpressionEvaluator(row: row, header: header).evaluate(root)
    }

    /// Whether the expression reads the record's header, not only its row.
    var readsRecordHeader: Bool {
        root.allNodes.contains { node in
            switch node {
            case .header, .operationIndicator: true
            default: false
            }
        }
    }

    /// Whether the expression flags the record's operation (`operation_indicator()`): its table's deletes keep
    /// their item, flagged (a soft delete, as in DMS).
    var flagsOperation: Bool {
        root.allNodes.contains { if case .operationIndicator = $0 { true } else { false } }
    }
}

extension ExpressionNode {
    /// The node and all nodes below it, depth first.
    var allNodes: [ExpressionNode] {
        [self] + children.flatMap(\.allNodes)
    }

    var children: [ExpressionNode] {
        switch self {
        case .literal, .column, .header: []
        case .unary(_, let operand), .isNull(let operand, _), .cast(let operand, _), .collate(let operand, _): [operand]
        case .binary(_, let left, let right): [left, right]
        case .between(let operand, let low, let high, _): [operand, low, high]
        case .inList(let operand, let list, _): [operand] + list
        case .pattern(_, let operand, let pattern, let escape, _): [operand, pattern] + (escape.map { [$0] } ?? [])
        case .caseWhen(let base, let branches, let otherwise):
            (base.map { [$0] } ?? []) + branches.flatMap { [$0.when, $0.then] } + (otherwise.map { [$0] } ?? [])
        case .function(_, let arguments): arguments
        case .operationIndicator(let deleted, let updated, let inserted): [deleted, updated, inserted]
        }
    }
}
