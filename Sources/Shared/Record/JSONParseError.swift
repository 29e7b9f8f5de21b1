/// Why and where a byte sequence is not a JSON document.
public struct JSONParseError: Error, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable, CustomStringConvertible {
        case unexpectedEndOfInput
        case unexpectedByte(UInt8)
        case invalidUTF8
        case unescapedControlCharacter(UInt8)
        case invalidEscape
        case invalidUnicodeEscape
        case unpairedSurrogate
        case invalidNumber
        case tooDeeplyNested(limit: Int)
        case trailingData

        public var description: String {
            switch self {
            case .unexpectedEndOfInput: "unexpected end of input"
            case .unexpectedByte(let byte): "unexpected \(Self.describe(byte))"
            case .invalidUTF8: "invalid UTF-8"
            case .unescapedControlCharacter(let byte): "unescaped control character \(Self.describe(byte)) in string"
            case .invalidEscape: "invalid escape sequence"
            case .invalidUnicodeEscape: "\\u escape needs four hex digits"
            case .unpairedSurrogate: "unpaired UTF-16 surrogate in \\u escape"
            case .invalidNumber: "invalid number"
            case .tooDeeplyNested(let limit): "nesting deeper than \(limit) levels"
            case .trailingData: "data after the end of the document"
            }
        }

        private static func describe(_ byte: UInt8) -> String {
            let hex = "0x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            guard (0x21...0x7E).contains(byte) else { return "byte \(hex)" }
            return "'\(Character(Unicode.Scalar(byte)))' (\(hex))"
        }
    }

    /// Offset of the offending byte from the start of the input.
    public var offset: Int
    public var reason: Reason

    public init(offset: Int, reason: Reason) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "JSON syntax error at byte \(offset): \(reason)" }
}
