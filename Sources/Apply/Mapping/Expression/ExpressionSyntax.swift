/// A parsed expression: SQLite's expression grammar, as far as DMS transformation expressions use it.
indirect enum ExpressionNode: Sendable, Hashable {
    enum UnaryOperator: Sendable, Hashable { case negate, plus, not, bitNot }
    enum BinaryOperator: Sendable, Hashable {
        case or, and
        case equal, notEqual, isSame, isNotSame
        case less, lessOrEqual, greater, greaterOrEqual
        case bitAnd, bitOr, shiftLeft, shiftRight
        case add, subtract, multiply, divide, remainder
        case concatenate
    }
    enum PatternKind: Sendable, Hashable { case like, glob }

    case literal(SQLValue)
    case column(String)
    /// A `$AR_H_…`/`$AR_M_…` header variable.
    case header(HeaderVariable)
    /// DMS's `operation_indicator(flag_when_deleted, flag_when_updated, flag_when_inserted)`: the argument for
    /// the record's operation (a full-load row counts as inserted).
    case operationIndicator(deleted: ExpressionNode, updated: ExpressionNode, inserted: ExpressionNode)
    case unary(UnaryOperator, ExpressionNode)
    case binary(BinaryOperator, ExpressionNode, ExpressionNode)
    case isNull(ExpressionNode, negated: Bool)
    case between(ExpressionNode, low: ExpressionNode, high: ExpressionNode, negated: Bool)
    case inList(ExpressionNode, [ExpressionNode], negated: Bool)
    case pattern(PatternKind, ExpressionNode, pattern: ExpressionNode, escape: ExpressionNode?, negated: Bool)
    case caseWhen(base: ExpressionNode?, branches: [CaseBranch], otherwise: ExpressionNode?)
    case cast(ExpressionNode, Affinity)
    /// `x COLLATE name`: x's value, and the collation comparisons involving it use.
    case collate(ExpressionNode, SQLCollation)
    case function(ExpressionFunction, [ExpressionNode])

    struct CaseBranch: Sendable, Hashable {
        let when: ExpressionNode
        let then: ExpressionNode
    }
}

/// The type a value is converted to by CAST, chosen from the type name by SQLite's affinity rules.
enum Affinity: Sendable, Hashable {
    case text, integer, real, numeric, blob

    init(typeName: String) {
        let name = typeName.uppercased()
        if name.contains("INT") {
            self = .integer
        } else if name.contains("CHAR") || name.contains("CLOB") || name.contains("TEXT") {
            self = .text
        } else if name.contains("BLOB") || name.isEmpty {
            self = .blob
        } else if name.contains("REAL") || name.contains("FLOA") || name.contains("DOUB") {
            self = .real
        } else {
            self = .numeric
        }
    }
}

/// A recursive-descent parser with SQLite's operator precedence (lowest first): OR; AND; NOT; `= == != <> IS
/// IS NOT BETWEEN IN LIKE GLOB ISNULL NOTNULL`; `< <= > >=`; ESCAPE; `& | << >>`; `+ -`; `* / %`; `||`;
/// COLLATE; unary `- + ~`.
struct ExpressionParser {
    private enum Level: Int, Comparable {
        case or = 1, and, not, equality, relational, escape, bitwise, additive, multiplicative, concatenation, collate
        case unary
        static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
        var next: Level { Level(rawValue: rawValue + 1) ?? .unary }
    }

    private let tokens: [ExpressionToken]
    private var position = 0

    static func parse(_ text: String) throws(ExpressionSyntaxError) -> ExpressionNode {
        var parser = ExpressionParser(tokens: try ExpressionLexer.tokens(text))
        let expression = try parser.expression(.or)
        guard case .end = parser.current.kind else { throw parser.expected("an operator or the end") }
        return expression
    }

    private init(tokens: [ExpressionToken]) { self.tokens = tokens }

    private var current: ExpressionToken { tokens[position] }
    private var following: ExpressionToken { tokens[min(position + 1, tokens.count - 1)] }

    private func expected(_ what: String) -> ExpressionSyntaxError {
        ExpressionSyntaxError(offset: current.offset, message: "expected \(what), found \(current.description)")
    }

    private func isWord(_ word: String, _ token: ExpressionToken? = nil) -> Bool {
        (token ?? current).kind == .word(word)
    }

    private mutating func accept(word: String) -> Bool {
        guard isWord(word) else { return false }
        position += 1
        return true
    }

    private mutating func accept(symbol: String) -> Bool {
        guard current.kind == .symbol(symbol) else { return false }
        position += 1
        return true
    }

    private mutating func require(word: String) throws(ExpressionSyntaxError) {
        guard accept(word: word) else { throw expected(word) }
    }

    private mutating func require(symbol: String) throws(ExpressionSyntaxError) {
        guard accept(symbol: symbol) else { throw expected("'\(symbol)'") }
    }

    private mutating func expression(_ minimum: Level) throws(ExpressionSyntaxError) -> ExpressionNode {
        var left = try prefix()
        while true {
            guard let (level, binary) = infix(), level >= minimum else { return left }
            if let binary {
                position += binary.tokenCount
                left = .binary(binary.operator, left, try expression(level.next))
            } else {
                left = try special(after: left)
            }
        }
    }

    private typealias Binary = (operator: ExpressionNode.BinaryOperator, tokenCount: Int)

    /// The level of the operator at the current token; a nil `Binary` for the keyword operators `special` parses.
    private func infix() -> (Level, Binary?)? {
        switch current.kind {
        case .symbol(let symbol):
            let binary: (Level, ExpressionNode.BinaryOperator)? =
                switch symbol {
                case "=", "==": (.equality, .equal)
                case "!=", "<>": (.equality, .notEqual)
                case "<": (.relational, .less)
                case "<=": (.relational, .lessOrEqual)
                case ">": (.relational, .greater)
                case ">=": (.relational, .greaterOrEqual)
                case "&": (.bitwise, .bitAnd)
                case "|": (.bitwise, .bitOr)
                case "<<": (.bitwise, .shiftLeft)
                case ">>": (.bitwise, .shiftRight)
                case "+": (.additive, .add)
                case "-": (.additive, .subtract)
                case "*": (.multiplicative, .multiply)
                case "/": (.multiplicative, .divide)
                case "%": (.multiplicative, .remainder)
                case "||": (.concatenation, .concatenate)
                default: nil
                }
            return binary.map { ($0.0, ($0.1, 1)) }
        case .word("COLLATE"): return (.collate, nil)
        case .word("OR"): return (.or, (.or, 1))
        case .word("AND"): return (.and, (.and, 1))
        case .word("IS"), .word("ISNULL"), .word("NOTNULL"), .word("LIKE"), .word("GLOB"), .word("BETWEEN"),
            .word("IN"):
            return (.equality, nil)
        case .word("NOT"):
            switch following.kind {
            case .word("NULL"), .word("LIKE"), .word("GLOB"), .word("BETWEEN"), .word("IN"): return (.equality, nil)
            default: return nil
            }
        default: return nil
        }
    }

    /// COLLATE, and the equality-level keyword operators: IS [NOT] [DISTINCT FROM], ISNULL, NOTNULL, NOT NULL, [NOT] LIKE,
    /// GLOB, BETWEEN, IN.
    private mutating func special(after left: ExpressionNode) throws(ExpressionSyntaxError) -> ExpressionNode {
        if accept(word: "COLLATE") { return .collate(left, try collation()) }
        if accept(word: "IS") {
            var negated = accept(word: "NOT")
            if accept(word: "DISTINCT") {
                try require(word: "FROM")
                negated.toggle()
            }
            return .binary(negated ? .isNotSame : .isSame, left, try expression(Level.equality.next))
        }
        if accept(word: "ISNULL") { return .isNull(left, negated: false) }
        if accept(word: "NOTNULL") { return .isNull(left, negated: true) }
        let negated = accept(word: "NOT")
        if accept(word: "NULL") { return .isNull(left, negated: true) }
        if isWord("LIKE") || isWord("GLOB") {
            let kind: ExpressionNode.PatternKind = isWord("LIKE") ? .like : .glob
            position += 1
            let pattern = try expression(Level.equality.next)
            var escape: ExpressionNode?
            if kind == .like, accept(word: "ESCAPE") { escape = try expression(Level.equality.next) }
            return .pattern(kind, left, pattern: pattern, escape: escape, negated: negated)
        }
        if accept(word: "BETWEEN") {
            let low = try expression(Level.equality.next)
            try require(word: "AND")
            let high = try expression(Level.equality.next)
            return .between(left, low: low, high: high, negated: negated)
        }
        try require(word: "IN")
        try require(symbol: "(")
        var list: [ExpressionNode] = []
        if !accept(symbol: ")") {
            repeat { list.append(try expression(.or)) } while accept(symbol: ",")
            try require(symbol: ")")
        }
        return .inList(left, list, negated: negated)
    }

    private mutating func prefix() throws(ExpressionSyntaxError) -> ExpressionNode {
        let token = current
        switch token.kind {
        case .symbol("-"):
            position += 1
            return .unary(.negate, try expression(.unary))
        case .symbol("+"):
            position += 1
            return .unary(.plus, try expression(.unary))
        case .symbol("~"):
            position += 1
            return .unary(.bitNot, try expression(.unary))
        case .symbol("("):
            position += 1
            let inner = try expression(.or)
            try require(symbol: ")")
            return inner
        case .word("NOT"):
            position += 1
            return .unary(.not, try expression(.not))
        case .integer(let literal):
            position += 1
            if let value = Int64(literal) { return .literal(.integer(value)) }
            return .literal(.real(Double(literal) ?? .infinity))
        case .real(let literal):
            position += 1
            return .literal(.real(Double(literal) ?? .infinity))
        case .string(let text):
            position += 1
            return .literal(.text(text))
        case .variable(let name):
            position += 1
            guard HeaderVariable.isHeaderName(name) else { return .column(name) }
            guard let variable = HeaderVariable(rawValue: name) else {
                throw ExpressionSyntaxError(offset: token.offset, message: HeaderVariable.refusal(of: name))
            }
            return .header(variable)
        case .word("NULL"):
            position += 1
            return .literal(.null)
        case .word("TRUE"), .word("FALSE"):
            position += 1
            return .literal(.integer(isWord("TRUE", token) ? 1 : 0))
        case .word("CASE"):
            position += 1
            return try caseExpression()
        case .word("CAST"):
            position += 1
            return try castExpression()
        case .word(let name):
            if let function = ExpressionFunction(keyword: name) {
                position += 1
                return .function(function, [])
            }
            guard case .symbol("(") = following.kind else { throw expected("an operand") }
            let function = ExpressionFunction(rawValue: name.lowercased())
            guard function != nil || name == "OPERATION_INDICATOR" else {
                let reason = ExpressionFunction.refusal(of: name.lowercased()).map { ": " + $0 } ?? ""
                throw ExpressionSyntaxError(offset: token.offset, message: "unknown function \(name.lowercased())()\(reason)")
            }
            position += 2
            var arguments: [ExpressionNode] = []
            if !accept(symbol: ")") {
                repeat { arguments.append(try expression(.or)) } while accept(symbol: ",")
                try require(symbol: ")")
            }
            guard let function else {
                guard arguments.count == 3 else {
                    throw ExpressionSyntaxError(
                        offset: token.offset,
                        message: "wrong number of arguments to function operation_indicator(): \(arguments.count)")
                }
                return .operationIndicator(deleted: arguments[0], updated: arguments[1], inserted: arguments[2])
            }
            guard function.arity.contains(arguments.count) else {
                throw ExpressionSyntaxError(
                    offset: token.offset,
                    message: "wrong number of arguments to function \(function.rawValue)(): \(arguments.count)")
            }
            return .function(function, arguments)
        default:
            throw expected("an operand")
        }
    }

    /// The collation name after COLLATE: a name or a string, in any case.
    private mutating func collation() throws(ExpressionSyntaxError) -> SQLCollation {
        let name: String
        switch current.kind {
        case .word(let word): name = word
        case .string(let text): name = text
        default: throw expected("a collation name")
        }
        guard let collation = SQLCollation(rawValue: name.uppercased()) else {
            throw ExpressionSyntaxError(
                offset: current.offset,
                message: "no such collation sequence: \(name) (known: BINARY, NOCASE, RTRIM)")
        }
        position += 1
        return collation
    }

    private mutating func caseExpression() throws(ExpressionSyntaxError) -> ExpressionNode {
        let base = isWord("WHEN") ? nil : try expression(.or)
        var branches: [ExpressionNode.CaseBranch] = []
        while accept(word: "WHEN") {
            let condition = try expression(.or)
            try require(word: "THEN")
            branches.append(.init(when: condition, then: try expression(.or)))
        }
        guard !branches.isEmpty else { throw expected("WHEN") }
        let otherwise = accept(word: "ELSE") ? try expression(.or) : nil
        try require(word: "END")
        return .caseWhen(base: base, branches: branches, otherwise: otherwise)
    }

    private mutating func castExpression() throws(ExpressionSyntaxError) -> ExpressionNode {
        try require(symbol: "(")
        let operand = try expression(.or)
        try require(word: "AS")
        var typeName: [String] = []
        while case .word(let word) = current.kind {
            typeName.append(word)
            position += 1
        }
        guard !typeName.isEmpty else { throw expected("a type name") }
        if accept(symbol: "(") {
            repeat {
                _ = accept(symbol: "-") || accept(symbol: "+")
                guard case .integer = current.kind else { throw expected("a type size") }
                position += 1
            } while accept(symbol: ",")
            try require(symbol: ")")
        }
        try require(symbol: ")")
        return .cast(operand, Affinity(typeName: typeName.joined(separator: " ")))
    }
}
