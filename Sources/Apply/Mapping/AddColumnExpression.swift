import Shared

/// An `add-column` rule's `expression`: DMS's SQLite expression language (literals, `$COLUMN`, operators,
/// CASE, CAST and the core and date/time functions; see `ExpressionParser` and `ExpressionEvaluator`).
/// `$AR_H_…`/`$AR_M_…` header variables and `operation_indicator()` are refused: the mapper sees rows, not
/// the records' headers.
struct AddColumnExpression: Sendable, Hashable {
    let root: ExpressionNode

    init(parsing text: String) throws(TemplateSyntaxError) {
        do throws(ExpressionSyntaxError) {
            root = try ExpressionParser.parse(text)
        } catch {
            throw TemplateSyntaxError(reason: "expression \"\(text)\" does not parse: \(error)")
        }
        if let header = root.headerVariables.first {
            throw TemplateSyntaxError(
                reason: "expression \"\(text)\" uses the DMS header variable $\(header), which ferry does not "
                    + "evaluate (add-column expressions see the row's columns only)")
        }
    }

    /// The expression's value for `row`.
    func evaluate(on row: JSONObject) throws(ExpressionEvaluationError) -> SQLValue {
        try ExpressionEvaluator(row: row).evaluate(root)
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
        case .unary(_, let operand), .isNull(let operand, _), .cast(let operand, _): [operand]
        case .binary(_, let left, let right): [left, right]
        case .between(let operand, let low, let high, _): [operand, low, high]
        case .inList(let operand, let list, _): [operand] + list
        case .pattern(_, let operand, let pattern, let escape, _): [operand, pattern] + (escape.map { [$0] } ?? [])
        case .caseWhen(let base, let branches, let otherwise):
            (base.map { [$0] } ?? []) + branches.flatMap { [$0.when, $0.then] } + (otherwise.map { [$0] } ?? [])
        case .function(_, let arguments): arguments
        }
    }

    /// The `$AR_H_…`/`$AR_M_…` variables the expression names, in order.
    var headerVariables: [String] {
        allNodes.compactMap { node in
            if case .header(let name) = node { return name }
            return nil
        }
    }
}
