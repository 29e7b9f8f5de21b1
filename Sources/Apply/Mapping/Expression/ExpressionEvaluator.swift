import Shared

/// Why an expression has no value for a row.
enum ExpressionEvaluationError: Error, Hashable {
    /// The row has no such column.
    case missingColumn(String)
    /// SQLite would raise this error (e.g. `abs()` of the smallest integer, a bad ESCAPE).
    case failed(String)
    /// The expression reads the record's header (`$AR_H_…`, `operation_indicator()`) and was given a row alone.
    case needsRecordHeader
}

/// Evaluates a parsed expression over one row, with SQLite's semantics: typed values, NULL propagation,
/// three-valued logic, integer arithmetic that overflows into reals, and CAST affinity in comparisons.
/// Row values have no affinity (as bound parameters in SQLite): numbers are integers or reals, strings text.
struct ExpressionEvaluator {
    let row: JSONObject
    /// The record the row comes from; nil where there is none (`ferry validate` maps rows read from PostgreSQL).
    var header: RecordHeader?

    func evaluate(_ node: ExpressionNode) throws(ExpressionEvaluationError) -> SQLValue {
        switch node {
        case .literal(let value):
            return value
        case .column(let name):
            guard let value = row[name] else { throw .missingColumn(name) }
            return Self.value(of: value)
        case .header(let variable):
            guard let header else { throw .needsRecordHeader }
            return header.value(of: variable)
        case .operationIndicator(let deleted, let updated, let inserted):
            guard let header else { throw .needsRecordHeader }
            switch header.op {
            case .delete: return try evaluate(deleted)
            case .update: return try evaluate(updated)
            case .read, .create, .truncate: return try evaluate(inserted)
            }
        case .unary(let op, let operand):
            return SQLArithmetic.unary(op, try evaluate(operand))
        // Both sides are evaluated, as SQLite does for AND/OR in a value (so an error on the right still fails).
        case .binary(.and, let left, let right):
            let lhs = try evaluate(left).truth
            let rhs = try evaluate(right).truth
            if lhs == false || rhs == false { return .integer(0) }
            return lhs == nil || rhs == nil ? .null : .integer(1)
        case .binary(.or, let left, let right):
            let lhs = try evaluate(left).truth
            let rhs = try evaluate(right).truth
            if lhs == true || rhs == true { return .integer(1) }
            return lhs == nil || rhs == nil ? .null : .integer(0)
        case .binary(let op, let left, let right):
            let lhs = try evaluate(left)
            let rhs = try evaluate(right)
            switch op {
            case .equal, .notEqual, .isSame, .isNotSame, .less, .lessOrEqual, .greater, .greaterOrEqual:
                return SQLComparison.compare(
                    op, lhs, Self.affinity(of: left), rhs, Self.affinity(of: right),
                    ExpressionNode.comparisonCollation(left, right))
            default:
                return SQLArithmetic.binary(op, lhs, rhs)
            }
        case .isNull(let operand, let negated):
            return .boolean((try evaluate(operand) == .null) != negated)
        case .between(let operand, let low, let high, let negated):
            let value = try evaluate(operand)
            let affinity = Self.affinity(of: operand)
            let lower = SQLComparison.compare(
                .greaterOrEqual, value, affinity, try evaluate(low), Self.affinity(of: low),
                ExpressionNode.comparisonCollation(operand, low))
            let upper = SQLComparison.compare(
                .lessOrEqual, value, affinity, try evaluate(high), Self.affinity(of: high),
                ExpressionNode.comparisonCollation(operand, high))
            let both: Bool? =
                lower.truth == false || upper.truth == false ? false
                : lower.truth == nil || upper.truth == nil ? nil : true
            return .boolean(both.map { $0 != negated })
        case .inList(let operand, let list, let negated):
            guard !list.isEmpty else { return .boolean(negated) }
            let value = try evaluate(operand)
            if value == .null {
                // SQLite still evaluates every item (one that fails, fails the expression).
                for item in list { _ = try evaluate(item) }
                return .null
            }
            var sawNull = false
            // The operand's collation; SQLite parses `x IN (constant)` as `x = +constant`, where the item's counts.
            let collation =
                list.count == 1 && list[0].isParseTimeConstant
                ? ExpressionNode.comparisonCollation(operand, list[0]) : ExpressionNode.operandCollation(operand)
            for item in list {
                // As in SQLite, the list's values have no affinity, even CASTs.
                switch SQLComparison.compare(.equal, value, Self.affinity(of: operand), try evaluate(item), nil, collation).truth {
                case true: return .boolean(!negated)
                case nil: sawNull = true
                case false: continue
                }
            }
            return sawNull ? .null : .boolean(negated)
        case .pattern(let kind, let operand, let pattern, let escape, let negated):
            let text = try evaluate(operand).text
            let patternText = try evaluate(pattern).text
            var escapeCharacter: Character?
            if let escape {
                guard let escapeText = try evaluate(escape).text else { return .null }
                guard escapeText.count == 1 else {
                    throw .failed("ESCAPE expression must be a single character")
                }
                escapeCharacter = escapeText.first
            }
            guard let text, let patternText else { return .null }
            let matched =
                kind == .like
                ? SQLPattern.like(Array(text.unicodeScalars), Array(patternText.unicodeScalars), escape: escapeCharacter?.unicodeScalars.first)
                : SQLPattern.glob(Array(text.unicodeScalars), Array(patternText.unicodeScalars))
            return .boolean(matched != negated)
        case .caseWhen(let base, let branches, let otherwise):
            let baseValue = try base.map { node throws(ExpressionEvaluationError) in try evaluate(node) }
            for branch in branches {
                let condition = try evaluate(branch.when)
                let taken: Bool? =
                    if let base, let baseValue {
                        SQLComparison.compare(
                            .equal, baseValue, Self.affinity(of: base), condition, Self.affinity(of: branch.when),
                            ExpressionNode.comparisonCollation(base, branch.when)
                        ).truth
                    } else {
                        condition.truth
                    }
                if taken == true { return try evaluate(branch.then) }
            }
            return try otherwise.map { node throws(ExpressionEvaluationError) in try evaluate(node) } ?? .null
        case .cast(let operand, let affinity):
            return SQLConversion.cast(try evaluate(operand), to: affinity)
        case .collate(let operand, _):
            return try evaluate(operand)
        case .function(let function, let arguments):
            var values: [SQLValue] = []
            values.reserveCapacity(arguments.count)
            for argument in arguments { values.append(try evaluate(argument)) }
            return try function.call(
                values, collation: function.comparesArguments ? ExpressionNode.argumentCollation(arguments) : .binary)
        }
    }

    /// The affinity an operand brings to a comparison: only CAST gives one (row values are bound as values);
    /// COLLATE passes its operand's on.
    private static func affinity(of node: ExpressionNode) -> Affinity? {
        switch node {
        case .cast(_, let affinity): affinity != .blob ? affinity : nil
        case .collate(let operand, _): affinity(of: operand)
        default: nil
        }
    }

    /// A row value as SQLite sees it: numbers as integers when they are written as one and fit, else reals;
    /// booleans as 1/0; documents and arrays as their JSON text.
    static func value(of json: JSONValue) -> SQLValue {
        switch json {
        case .null: return .null
        case .bool(let flag): return .integer(flag ? 1 : 0)
        case .number(let digits):
            if let integer = Int64(digits) { return .integer(integer) }
            return .real(Double(digits) ?? .nan)
        case .string(let text): return .text(text)
        case .array, .object: return .text(json.templateText ?? "")
        }
    }
}
