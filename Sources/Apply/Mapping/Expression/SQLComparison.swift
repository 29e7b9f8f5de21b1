/// SQLite's comparison operators: NULL < numbers < text, numbers by value, text by the collation (BINARY:
/// UTF-8 bytes), after the affinity rules for operands that have one (from CAST).
enum SQLComparison {
    static func compare(
        _ op: ExpressionNode.BinaryOperator, _ left: SQLValue, _ leftAffinity: Affinity?, _ right: SQLValue,
        _ rightAffinity: Affinity?, _ collation: SQLCollation = .binary
    ) -> SQLValue {
        var lhs = left
        var rhs = right
        let isNumeric: (Affinity?) -> Bool = { $0 == .integer || $0 == .real || $0 == .numeric }
        if isNumeric(leftAffinity), !isNumeric(rightAffinity) {
            rhs = rhs.withNumericAffinity
        } else if isNumeric(rightAffinity), !isNumeric(leftAffinity) {
            lhs = lhs.withNumericAffinity
        } else if leftAffinity == .text, rightAffinity == nil {
            rhs = rhs.text.map(SQLValue.text) ?? .null
        } else if rightAffinity == .text, leftAffinity == nil {
            lhs = lhs.text.map(SQLValue.text) ?? .null
        }
        switch op {
        case .isSame, .isNotSame:
            let same = (lhs == .null && rhs == .null) || (lhs != .null && rhs != .null && order(lhs, rhs, collation) == 0)
            return .boolean(same == (op == .isSame))
        default:
            guard lhs != .null, rhs != .null else { return .null }
            let result = order(lhs, rhs, collation)
            switch op {
            case .equal: return .boolean(result == 0)
            case .notEqual: return .boolean(result != 0)
            case .less: return .boolean(result < 0)
            case .lessOrEqual: return .boolean(result <= 0)
            case .greater: return .boolean(result > 0)
            default: return .boolean(result >= 0)
            }
        }
    }

    /// -1, 0 or 1: the order of two values by storage class, then value.
    static func order(_ lhs: SQLValue, _ rhs: SQLValue, _ collation: SQLCollation = .binary) -> Int {
        switch (lhs, rhs) {
        case (.null, .null): return 0
        case (.null, _): return -1
        case (_, .null): return 1
        case (.integer(let a), .integer(let b)): return a < b ? -1 : a == b ? 0 : 1
        case (.integer(let a), .real(let b)): return -orderReal(b, a)
        case (.real(let a), .integer(let b)): return orderReal(a, b)
        case (.real(let a), .real(let b)): return a < b ? -1 : a == b ? 0 : 1
        case (.text(let a), .text(let b)): return collation.order(a, b)
        case (.text, _): return 1
        case (_, .text): return -1
        }
    }

    /// A real against an integer, exactly (doubles cannot hold every 64-bit integer).
    private static func orderReal(_ real: Double, _ integer: Int64) -> Int {
        if real < -9223372036854775808.0 { return -1 }
        if real >= 9223372036854775808.0 { return 1 }
        let truncated = Int64(real.rounded(.towardZero))
        if truncated != integer { return truncated < integer ? -1 : 1 }
        let fraction = real - real.rounded(.towardZero)
        return fraction < 0 ? -1 : fraction > 0 ? 1 : 0
    }
}
