/// A strict RFC 8259 parser: one document, optionally surrounded by whitespace, in valid UTF-8.
/// Numbers keep their text exactly as written; object fields keep their order.
public enum JSONParser {
    /// Containers nested deeper than this are rejected, so hostile input cannot overflow the stack.
    public static let maximumDepth = 512

    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        var parser = JSONCursor(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else {
            throw JSONParseError(offset: parser.index, reason: .trailingData)
        }
        return value
    }

    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBytesTyped { buffer throws(JSONParseError) in try parse(buffer) }
    }

    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try text.withUTF8Typed { buffer throws(JSONParseError) in try parse(buffer) }
    }
}

/// The parser's position in one document, and its readers of values. Internal, for `CanonicalRecordReader`, which
/// reads what it expects with them and matches the bytes between values itself.
struct JSONCursor {
    let bytes: UnsafeRawBufferPointer
    var index = 0
    /// Reused for strings that contain escapes; the others are built straight from the input.
    var unescaped: [UInt8] = []

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw failure(.unexpectedEndOfInput) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object(try parseObject(depth: depth + 1))
        case UInt8(ascii: "["): return .array(try parseArray(depth: depth + 1))
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        default:
            throw unexpected()
        }
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): index += 1
            default: return
            }
        }
    }

    // MARK: Containers

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONObject {
        try checkDepth(depth)
        index += 1  // {
        skipWhitespace()
        if try consume(UInt8(ascii: "}")) { return JSONObject() }
        var fields: [JSONObject.Field] = []
        fields.reserveCapacity(8)  // rows and `source` have several fields: skip the first regrowths
        while true {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw unexpected() }
            let name = try parseString()
            skipWhitespace()
            guard try consume(UInt8(ascii: ":")) else { throw unexpected() }
            skipWhitespace()
            fields.append(JSONObject.Field(name: name, value: try parseValue(depth: depth)))
            skipWhitespace()
            if try consume(UInt8(ascii: "}")) { return JSONObject(fields: fields) }
            guard try consume(UInt8(ascii: ",")) else { throw unexpected() }
            skipWhitespace()
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> [JSONValue] {
        try checkDepth(depth)
        index += 1  // [
        skipWhitespace()
        var elements: [JSONValue] = []
        if try consume(UInt8(ascii: "]")) { return elements }
        while true {
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            if try consume(UInt8(ascii: "]")) { return elements }
            guard try consume(UInt8(ascii: ",")) else { throw unexpected() }
            skipWhitespace()
        }
    }

    private func checkDepth(_ depth: Int) throws(JSONParseError) {
        if depth > JSONParser.maximumDepth {
            throw failure(.tooDeeplyNested(limit: JSONParser.maximumDepth))
        }
    }

    // MARK: Strings

    /// A string starting at its opening quote (at `index`).
    mutating func parseString() throws(JSONParseError) -> String {
        index += 1  // opening quote
        let start = index
        while index < bytes.count {
            skipOrdinaryASCII()
            guard index < bytes.count else { break }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            case UInt8(ascii: "\\"):
                return try parseEscapedString(from: start)
            case ..<0x20:
                throw failure(.unescapedControlCharacter(byte))
            case 0x80...:
                index = try endOfUTF8Sequence()
            default:
                index += 1
            }
        }
        throw failure(.unexpectedEndOfInput)
    }

    /// Skips string bytes that need no attention, eight at a time, stopping at the word that holds the
    /// closing quote, an escape, a control character or non-ASCII text.
    private mutating func skipOrdinaryASCII() {
        guard let base = bytes.baseAddress else { return }
        while index + 8 <= bytes.count {
            let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            guard (ASCII.jsonSpecialBytes(in: word) | word & ASCII.highBits) == 0 else { return }
            index += 8
        }
    }

    /// The slow path of `parseString`, entered at the first backslash.
    private mutating func parseEscapedString(from start: Int) throws(JSONParseError) -> String {
        unescaped.removeAll(keepingCapacity: true)
        unescaped.append(contentsOf: bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: unescaped, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try appendEscape()
            case ..<0x20:
                throw failure(.unescapedControlCharacter(byte))
            case 0x80...:
                let end = try endOfUTF8Sequence()
                unescaped.append(contentsOf: bytes[index..<end])
                index = end
            default:
                unescaped.append(byte)
                index += 1
            }
        }
        throw failure(.unexpectedEndOfInput)
    }

    private mutating func appendEscape() throws(JSONParseError) {
        let escapeStart = index
        index += 1  // backslash
        guard index < bytes.count else { throw failure(.unexpectedEndOfInput) }
        let replacement: UInt8
        switch bytes[index] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): replacement = bytes[index]
        case UInt8(ascii: "b"): replacement = 0x08
        case UInt8(ascii: "f"): replacement = 0x0C
        case UInt8(ascii: "n"): replacement = 0x0A
        case UInt8(ascii: "r"): replacement = 0x0D
        case UInt8(ascii: "t"): replacement = 0x09
        case UInt8(ascii: "u"):
            index = escapeStart
            let scalar = try parseUnicodeEscape()
            unescaped.append(contentsOf: scalar.utf8)
            return
        default:
            throw JSONParseError(offset: escapeStart, reason: .invalidEscape)
        }
        unescaped.append(replacement)
        index += 1
    }

    /// Parses `\uXXXX`, or a `\uD8XX\uDCXX` surrogate pair, starting at the backslash.
    private mutating func parseUnicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
        let escapeStart = index
        let first = try parseUTF16Escape()
        let value: UInt32
        switch first {
        case 0xD800...0xDBFF:
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else { throw JSONParseError(offset: escapeStart, reason: .unpairedSurrogate) }
            let second = try parseUTF16Escape()
            guard (0xDC00...0xDFFF).contains(second) else {
                throw JSONParseError(offset: escapeStart, reason: .unpairedSurrogate)
            }
            value = 0x10000 + ((UInt32(first) - 0xD800) << 10) + (UInt32(second) - 0xDC00)
        case 0xDC00...0xDFFF:
            throw JSONParseError(offset: escapeStart, reason: .unpairedSurrogate)
        default:
            value = UInt32(first)
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw JSONParseError(offset: escapeStart, reason: .unpairedSurrogate)
        }
        return scalar
    }

    /// Parses one `\uXXXX` code unit, starting at the backslash.
    private mutating func parseUTF16Escape() throws(JSONParseError) -> UInt16 {
        let escapeStart = index
        index += 2  // \u
        var unit: UInt16 = 0
        for _ in 0..<4 {
            guard index < bytes.count, let digit = ASCII.hexValue(bytes[index]) else {
                throw JSONParseError(offset: escapeStart, reason: .invalidUnicodeEscape)
            }
            unit = unit << 4 | UInt16(digit)
            index += 1
        }
        return unit
    }

    /// Validates the multi-byte UTF-8 sequence at `index` and returns the offset after it.
    private func endOfUTF8Sequence() throws(JSONParseError) -> Int {
        guard let length = UTF8Validation.sequenceLength(in: bytes, at: index) else { throw failure(.invalidUTF8) }
        return index + length
    }

    // MARK: Scalars

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        switch JSONNumberSyntax.scan(bytes, from: start) {
        case .invalid(let offset):
            throw JSONParseError(offset: offset, reason: .invalidNumber)
        case .end(let end):
            // A leading zero followed by digits ("01") is a malformed number, not "0" followed by junk.
            if end < bytes.count, ASCII.isDigit(bytes[end]) {
                throw JSONParseError(offset: end, reason: .invalidNumber)
            }
            index = end
            return .number(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for byte in expected {
            guard index < bytes.count, bytes[index] == byte else { throw unexpected() }
            index += 1
        }
    }

    // MARK: Helpers

    /// Consumes `byte` if it is next; fails at the end of input, where every caller needs more.
    private mutating func consume(_ byte: UInt8) throws(JSONParseError) -> Bool {
        guard index < bytes.count else { throw failure(.unexpectedEndOfInput) }
        guard bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private func unexpected() -> JSONParseError {
        index < bytes.count ? failure(.unexpectedByte(bytes[index])) : failure(.unexpectedEndOfInput)
    }

    private func failure(_ reason: JSONParseError.Reason) -> JSONParseError {
        JSONParseError(offset: index, reason: reason)
    }
}
