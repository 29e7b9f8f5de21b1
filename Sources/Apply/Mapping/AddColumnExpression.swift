import Shared

/// The part of DMS's SQLite `expression` language that ferry evaluates for `add-column` rules:
/// string literals (`'text'`, `''` for a quote), number literals, `$COLUMN` references and `||`
/// concatenation, e.g. `$FIRST_NAME||'_'||$LAST_NAME`. As in SQLite, a NULL operand makes the result NULL.
/// Anything else (functions, CASE, arithmetic, `$AR_H_…` header variables) is refused at start-up.
struct AddColumnExpression: Sendable, Hashable {
    enum Operand: Sendable, Hashable {
        case text(String)
        case number(String)
        case column(String)
    }

    let operands: [Operand]

    init(parsing text: String) throws(TemplateSyntaxError) {
        var reader = ExpressionReader(text)
        var operands = [try reader.operand()]
        while try reader.concatenation() {
            operands.append(try reader.operand())
        }
        self.operands = operands
    }

    /// The expression's value for `row`: a single operand keeps its JSON type (so `$Amount` stays a number),
    /// a concatenation is a string. nil when an operand is NULL.
    /// - Throws: the name of a referenced column the row does not have.
    func evaluate(on row: JSONObject) throws(MissingColumn) -> JSONValue? {
        if operands.count == 1 { return try Self.value(of: operands[0], in: row).flatMap { $0 == .null ? nil : $0 } }
        var text = ""
        for operand in operands {
            guard let part = try Self.value(of: operand, in: row)?.templateText else { return nil }
            text += part
        }
        return .string(text)
    }

    private static func value(of operand: Operand, in row: JSONObject) throws(MissingColumn) -> JSONValue? {
        switch operand {
        case .text(let text): return .string(text)
        case .number(let digits): return .number(digits)
        case .column(let name):
            guard let value = row[name] else { throw MissingColumn(name: name) }
            return value
        }
    }
}

struct MissingColumn: Error, Hashable {
    var name: String
}

/// A cursor over an expression's characters.
private struct ExpressionReader {
    let text: String
    private var rest: Substring

    init(_ text: String) {
        self.text = text
        self.rest = text[...]
    }

    private func unsupported(_ detail: String) -> TemplateSyntaxError {
        TemplateSyntaxError(
            reason: "expression \"\(text)\" is not supported (\(detail)); ferry evaluates 'string' and number "
                + "literals, $COLUMN references and || concatenation")
    }

    private mutating func skipSpaces() {
        rest = rest.drop { $0 == " " || $0 == "\t" || $0 == "\n" }
    }

    mutating func operand() throws(TemplateSyntaxError) -> AddColumnExpression.Operand {
        skipSpaces()
        guard let first = rest.first else { throw unsupported("an operand is missing") }
        switch first {
        case "'":
            return .text(try quotedText())
        case "$":
            let name = rest.dropFirst().prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            guard !name.isEmpty else { throw unsupported("'$' without a column name") }
            guard !name.hasPrefix("AR_H_"), !name.hasPrefix("AR_M_") else {
                throw unsupported("DMS header and metadata variables such as $\(name)")
            }
            rest = rest.dropFirst(1 + name.count)
            return .column(String(name))
        default:
            let literal = rest.prefix { $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" || $0 == "e" || $0 == "E" }
            guard !literal.isEmpty, DynamoDBNumber(String(literal)) != nil else {
                throw unsupported("unexpected '\(rest.prefix(12))'")
            }
            rest = rest.dropFirst(literal.count)
            return .number(String(literal))
        }
    }

    /// Consumes `||` if it comes next; false at the end of the expression.
    mutating func concatenation() throws(TemplateSyntaxError) -> Bool {
        skipSpaces()
        if rest.isEmpty { return false }
        guard rest.hasPrefix("||") else { throw unsupported("unexpected '\(rest.prefix(12))'") }
        rest = rest.dropFirst(2)
        return true
    }

    private mutating func quotedText() throws(TemplateSyntaxError) -> String {
        var value = ""
        rest = rest.dropFirst()  // opening quote
        while let quote = rest.firstIndex(of: "'") {
            value += rest[..<quote]
            rest = rest[rest.index(after: quote)...]
            guard rest.first == "'" else { return value }
            value += "'"  // '' is an escaped quote
            rest = rest.dropFirst()
        }
        throw unsupported("unterminated string literal")
    }
}
