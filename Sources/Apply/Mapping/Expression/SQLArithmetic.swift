/// SQLite's arithmetic: integers while results fit (else reals), division by zero is NULL, text operands
/// read as their numeric prefix.
enum SQLArithmetic {
    static func unary(_ op: ExpressionNode.UnaryOperator, _ value: SQLValue) -> SQLValue {
        switch op {
        case .plus: return value
        case .not: return .boolean(value.truth.map { !$0 })
        case .bitNot: return value == .null ? .null : .integer(~value.integerValue)
        case .negate:
            switch value.numeric {
            case .integer(let integer):
                return integer == .min ? .real(-Double(integer)) : .integer(-integer)
            case .real(let real): return .real(-real)
            case .null, .text: return .null
            }
        }
    }

    static func binary(_ op: ExpressionNode.BinaryOperator, _ left: SQLValue, _ right: SQLValue) -> SQLValue {
        if op == .concatenate {
            guard let lhs = left.text, let rhs = right.text else { return .null }
            return .text(lhs + rhs)
        }
        let lhs = left.numeric
        let rhs = right.numeric
        guard lhs != .null, rhs != .null else { return .null }
        // Bit operators and % read text by its integer prefix ('1e3' is 1), as sqlite3VdbeIntValue does.
        switch op {
        case .bitAnd: return .integer(left.integerValue & right.integerValue)
        case .bitOr: return .integer(left.integerValue | right.integerValue)
        case .shiftLeft: return .integer(shift(left.integerValue, by: right.integerValue))
        case .shiftRight:
            let amount = right.integerValue
            return .integer(shift(left.integerValue, by: amount == .min ? .max : -amount))
        case .remainder:
            let divisor = right.integerValue
            guard divisor != 0 else { return .null }
            let remainder = left.integerValue % (divisor == -1 ? 1 : divisor)
            if case .integer = lhs, case .integer = rhs { return .integer(remainder) }
            return .real(Double(remainder))
        default:
            break
        }
        if case .integer(let a) = lhs, case .integer(let b) = rhs {
            let (result, overflow): (Int64, Bool)
            switch op {
            case .add: (result, overflow) = a.addingReportingOverflow(b)
            case .subtract: (result, overflow) = a.subtractingReportingOverflow(b)
            case .multiply: (result, overflow) = a.multipliedReportingOverflow(by: b)
            default:
                guard b != 0 else { return .null }
                (result, overflow) = a.dividedReportingOverflow(by: b)
            }
            if !overflow { return .integer(result) }
        }
        let a = lhs.doubleValue
        let b = rhs.doubleValue
        switch op {
        case .add: return .real(checking: a + b)
        case .subtract: return .real(checking: a - b)
        case .multiply: return .real(checking: a * b)
        default: return b == 0 ? .null : .real(checking: a / b)
        }
    }

    /// A left shift by `amount` bits (right for negative amounts, with the sign), 0 or -1 past 64 bits.
    private static func shift(_ value: Int64, by amount: Int64) -> Int64 {
        if amount >= 64 { return 0 }
        if amount <= -64 { return value < 0 ? -1 : 0 }
        return amount >= 0 ? value << amount : value >> -amount
    }
}
