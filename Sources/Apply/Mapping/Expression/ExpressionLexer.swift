/// One token of an expression, with the character offset it starts at (for error messages).
struct ExpressionToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case integer(String)
        case real(String)
        case string(String)
        /// `$NAME`: a column, or a `$AR_H_…` header variable.
        case variable(String)
        /// A keyword or function name, upper-cased.
        case word(String)
        case symbol(String)
        case end
    }

    let kind: Kind
    let offset: Int

    var description: String {
        switch kind {
        case .integer(let text), .real(let text): "number \(text)"
        case .string(let text): "string '\(text)'"
        case .variable(let name): "$\(name)"
        case .word(let word): word
        case .symbol(let symbol): "'\(symbol)'"
        case .end: "the end of the expression"
        }
    }
}

/// Where and why an expression does not parse.
struct ExpressionSyntaxError: Error, Hashable, CustomStringConvertible {
    let offset: Int
    let message: String

    var description: String { "at offset \(offset): \(message)" }
}

/// Splits an expression into tokens, as SQLite's tokenizer does for the part of SQL expressions use.
enum ExpressionLexer {
    private static let symbols = ["||", "<=", ">=", "==", "!=", "<>", "<<", ">>", "(", ")", ",", "+", "-", "*", "/",
        "%", "<", ">", "=", "&", "|", "~"]

    static func tokens(_ text: String) throws(ExpressionSyntaxError) -> [ExpressionToken] {
        let characters = Array(text)
        var tokens: [ExpressionToken] = []
        var index = 0
        func isDigit(_ at: Int) -> Bool { at < characters.count && characters[at].isASCII && characters[at].isNumber }
        func isWordCharacter(_ at: Int) -> Bool {
            at < characters.count && (characters[at].isLetter || characters[at].isNumber || characters[at] == "_")
        }
        while index < characters.count {
            let start = index
            let character = characters[index]
            if character.isWhitespace {
                index += 1
                continue
            }
            if matches("--", characters, at: index) {
                while index < characters.count, !characters[index].isNewline { index += 1 }
                continue
            }
            if matches("/*", characters, at: index) {
                index += 2
                while index < characters.count, !matches("*/", characters, at: index) { index += 1 }
                index = min(index + 2, characters.count)
                continue
            }
            if character == "'" {
                var value = ""
                index += 1
                while true {
                    guard index < characters.count else {
                        throw ExpressionSyntaxError(offset: start, message: "unterminated string literal")
                    }
                    if characters[index] == "'" {
                        if index + 1 < characters.count, characters[index + 1] == "'" {
                            value.append("'")
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    value.append(characters[index])
                    index += 1
                }
                tokens.append(ExpressionToken(kind: .string(value), offset: start))
            } else if character == "$" {
                index += 1
                while isWordCharacter(index) { index += 1 }
                guard index > start + 1 else {
                    throw ExpressionSyntaxError(offset: start, message: "expected a column name after '$'")
                }
                tokens.append(ExpressionToken(kind: .variable(String(characters[(start + 1)..<index])), offset: start))
            } else if isDigit(index) || (character == "." && isDigit(index + 1)) {
                var isReal = false
                while isDigit(index) { index += 1 }
                if index < characters.count, characters[index] == "." {
                    isReal = true
                    index += 1
                    while isDigit(index) { index += 1 }
                }
                if index < characters.count, characters[index] == "e" || characters[index] == "E" {
                    var exponent = index + 1
                    if exponent < characters.count, characters[exponent] == "+" || characters[exponent] == "-" {
                        exponent += 1
                    }
                    guard isDigit(exponent) else {
                        throw ExpressionSyntaxError(offset: start, message: "malformed number")
                    }
                    while isDigit(exponent) { exponent += 1 }
                    index = exponent
                    isReal = true
                }
                guard !isWordCharacter(index) else {
                    throw ExpressionSyntaxError(offset: start, message: "malformed number")
                }
                let literal = String(characters[start..<index])
                tokens.append(ExpressionToken(kind: isReal ? .real(literal) : .integer(literal), offset: start))
            } else if character.isLetter || character == "_" {
                while isWordCharacter(index) { index += 1 }
                tokens.append(ExpressionToken(kind: .word(String(characters[start..<index]).uppercased()), offset: start))
            } else if let symbol = symbols.first(where: { matches($0, characters, at: index) }) {
                index += symbol.count
                tokens.append(ExpressionToken(kind: .symbol(symbol), offset: start))
            } else {
                throw ExpressionSyntaxError(offset: start, message: "unexpected character '\(character)'")
            }
        }
        tokens.append(ExpressionToken(kind: .end, offset: characters.count))
        return tokens
    }

    private static func matches(_ symbol: String, _ characters: [Character], at index: Int) -> Bool {
        var position = index
        for character in symbol {
            guard position < characters.count, characters[position] == character else { return false }
            position += 1
        }
        return true
    }
}
