/// PostgreSQL's array text (`array_out`): `{1,2,NULL,"a \"q\"",{3,4}}`, preceded by explicit bounds such as
/// `[0:1]=` when a lower bound is not 1 (ignored: JSON arrays start at 0 anyway). Each element is converted by
/// the element type's rules; inner braces become nested JSON arrays.
struct PostgresArrayLiteral {
    /// PostgreSQL's MAXDIM; also bounds the recursion on hostile input.
    static let maximumDimensions = 6

    private let bytes: UnsafeRawBufferPointer
    private let elementCategory: PostgresColumnType.Category
    private let delimiter: UInt8
    private var index = 0
    /// Reused for quoted elements that contain backslash escapes; the others are converted in place.
    private var unescaped: [UInt8] = []

    static func decode(_ text: UnsafeRawBufferPointer, elementType: PostgresColumnType)
        throws(InvalidPostgresText) -> JSONValue
    {
        var parser = PostgresArrayLiteral(
            bytes: text, elementCategory: elementType.category, delimiter: elementType.arrayDelimiter)
        try parser.skipBounds()
        let array = try parser.parseArray(dimension: 1)
        parser.skipWhitespace()
        guard parser.index == text.count else { throw parser.malformed("unexpected data after the array") }
        return array
    }

    private init(bytes: UnsafeRawBufferPointer, elementCategory: PostgresColumnType.Category, delimiter: UInt8) {
        self.bytes = bytes
        self.elementCategory = elementCategory
        self.delimiter = delimiter
    }

    /// Skips `[lower:upper]...=`.
    private mutating func skipBounds() throws(InvalidPostgresText) {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else { return }
        while scan(UInt8(ascii: "[")) {
            guard scanInteger(), scan(UInt8(ascii: ":")), scanInteger(), scan(UInt8(ascii: "]")) else {
                throw malformed("invalid dimension bounds")
            }
        }
        guard scan(UInt8(ascii: "=")) else { throw malformed("expected '=' after the dimension bounds") }
    }

    private mutating func parseArray(dimension: Int) throws(InvalidPostgresText) -> JSONValue {
        guard dimension <= Self.maximumDimensions else {
            throw malformed("more than \(Self.maximumDimensions) dimensions")
        }
        skipWhitespace()
        guard scan(UInt8(ascii: "{")) else { throw malformed("expected '{'") }
        var elements: [JSONValue] = []
        skipWhitespace()
        if scan(UInt8(ascii: "}")) { return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try parseElement(dimension: dimension))
            skipWhitespace()
            if scan(UInt8(ascii: "}")) { return .array(elements) }
            guard scan(delimiter) else {
                throw malformed("expected '\(Character(Unicode.Scalar(delimiter)))' or '}'")
            }
        }
    }

    private mutating func parseElement(dimension: Int) throws(InvalidPostgresText) -> JSONValue {
        guard index < bytes.count else { throw malformed("unexpected end") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseArray(dimension: dimension + 1)
        case UInt8(ascii: "\""): return try parseQuotedElement()
        default: return try parseUnquotedElement()
        }
    }

    /// `"..."` with `\` escaping the next byte. A quoted `"NULL"` is the string, not SQL NULL.
    private mutating func parseQuotedElement() throws(InvalidPostgresText) -> JSONValue {
        let quoteStart = index
        index += 1
        let contentStart = index
        var hasEscapes = false
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            if bytes[index] == UInt8(ascii: "\\") {
                hasEscapes = true
                index += 1
            }
            index += 1
        }
        guard index < bytes.count else { throw malformed("unterminated quoted element", at: quoteStart) }
        let content = UnsafeRawBufferPointer(rebasing: bytes[contentStart..<index])
        index += 1  // closing quote
        guard hasEscapes else { return try convert(content) }

        unescaped.removeAll(keepingCapacity: true)
        var position = content.startIndex
        while position < content.endIndex {
            if content[position] == UInt8(ascii: "\\") { position += 1 }
            unescaped.append(content[position])
            position += 1
        }
        let category = elementCategory
        return try unescaped.withUnsafeBytesTyped { element throws(InvalidPostgresText) in
            try Self.convert(element, as: category)
        }
    }

    /// An unquoted element runs to the next delimiter or `}`; surrounding whitespace is not part of it.
    private mutating func parseUnquotedElement() throws(InvalidPostgresText) -> JSONValue {
        let start = index
        while index < bytes.count, bytes[index] != delimiter, bytes[index] != UInt8(ascii: "}") {
            switch bytes[index] {
            case UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "\\"):
                throw malformed("unexpected '\(Character(Unicode.Scalar(bytes[index])))' in an unquoted element")
            default:
                index += 1
            }
        }
        var end = index
        while end > start, Self.isWhitespace(bytes[end - 1]) { end -= 1 }
        guard end > start else { throw malformed("empty element") }
        let element = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
        if element.count == 4, element.elementsEqual("NULL".utf8, by: { $0 & 0xDF == $1 }) { return .null }
        return try convert(element)
    }

    // MARK: Helpers

    private func convert(_ element: UnsafeRawBufferPointer) throws(InvalidPostgresText) -> JSONValue {
        try Self.convert(element, as: elementCategory)
    }

    private static func convert(_ element: UnsafeRawBufferPointer, as category: PostgresColumnType.Category)
        throws(InvalidPostgresText) -> JSONValue
    {
        do {
            return try PostgresTextValue.decodeScalar(element, as: category)
        } catch {
            let shown = String(decoding: element.prefix(100), as: UTF8.self)
            throw InvalidPostgresText(reason: "element \"\(shown)\": \(error.reason)")
        }
    }

    private mutating func scan(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// `-?[0-9]+`
    private mutating func scanInteger() -> Bool {
        _ = scan(UInt8(ascii: "-"))
        let start = index
        while index < bytes.count, ASCII.isDigit(bytes[index]) { index += 1 }
        return index > start
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, Self.isWhitespace(bytes[index]) { index += 1 }
    }

    /// The bytes `array_in` skips around elements (C `isspace` in the C locale).
    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || (0x09...0x0D).contains(byte)
    }

    private func malformed(_ reason: String, at offset: Int? = nil) -> InvalidPostgresText {
        InvalidPostgresText(reason: "malformed array literal at byte \(offset ?? index): \(reason)")
    }
}
