/// Which collation a comparison uses, as SQLite decides it (sqlite3BinaryCompareCollSeq, sqlite3ExprCollSeq):
/// a COLLATE anywhere in an operand counts (it propagates up through operators and function arguments), the left
/// operand's first; without one, BINARY (bound values, like ferry's row values, have no column collation).
extension ExpressionNode {
    /// The collation of `left <op> right`.
    static func comparisonCollation(_ left: ExpressionNode, _ right: ExpressionNode) -> SQLCollation {
        (left.hasCollate ? left.explicitCollation : right.hasCollate ? right.explicitCollation : nil) ?? .binary
    }

    /// The collation of one operand's comparisons (`x IN (a, b)` uses x's alone).
    static func operandCollation(_ node: ExpressionNode) -> SQLCollation {
        (node.hasCollate ? node.explicitCollation : nil) ?? .binary
    }

    /// The collation of a function that compares its arguments (min, max, nullif): the first argument's that has one.
    static func argumentCollation(_ arguments: [ExpressionNode]) -> SQLCollation {
        arguments.first(where: \.hasCollate).map(operandCollation) ?? .binary
    }

    /// Whether SQLite's parser treats the node as constant (literals, bound values and operators over them, but
    /// no function call): `x IN (constant)` is then parsed as `x = +constant`, whose COLLATE counts.
    var isParseTimeConstant: Bool {
        switch self {
        case .function, .pattern, .operationIndicator: false
        default: children.allSatisfy(\.isParseTimeConstant)
        }
    }

    /// SQLite's EP_Collate: the node is a COLLATE or has one below it.
    private var hasCollate: Bool {
        if case .collate = self { return true }
        return children.contains { $0.hasCollate }
    }

    /// The COLLATE sqlite3ExprCollSeq finds: through CAST and unary `+`, else down the left operand when it has
    /// one, else the right operand or the first list element (function argument, IN item, ...) that has one.
    private var explicitCollation: SQLCollation? {
        var node = self
        while true {
            switch node {
            case .collate(_, let collation): return collation
            case .cast(let operand, _), .unary(.plus, let operand):
                node = operand
                continue
            default: break
            }
            guard node.hasCollate else { return nil }
            let (left, right, list) = node.collationOperands
            if let left, left.hasCollate {
                node = left
            } else if let next = list.first(where: \.hasCollate) ?? right {
                node = next
            } else {
                return nil
            }
        }
    }

    /// The node's operands as SQLite's Expr holds them: pLeft, pRight and the list (LIKE's is pattern, operand,
    /// escape; CASE's is its WHEN, THEN and ELSE expressions).
    private var collationOperands: (left: ExpressionNode?, right: ExpressionNode?, list: [ExpressionNode]) {
        switch self {
        case .literal, .column, .header: (nil, nil, [])
        case .unary(_, let operand), .isNull(let operand, _), .cast(let operand, _), .collate(let operand, _):
            (operand, nil, [])
        case .binary(_, let left, let right): (left, right, [])
        case .between(let operand, let low, let high, _): (operand, nil, [low, high])
        case .inList(let operand, let list, _): (operand, nil, list)
        case .pattern(_, let operand, let pattern, let escape, _): (nil, nil, [pattern, operand] + (escape.map { [$0] } ?? []))
        case .caseWhen(let base, let branches, let otherwise):
            (base, nil, branches.flatMap { [$0.when, $0.then] } + (otherwise.map { [$0] } ?? []))
        case .function(_, let arguments): (nil, nil, arguments)
        case .operationIndicator(let deleted, let updated, let inserted): (nil, nil, [deleted, updated, inserted])
        }
    }
}
