/// A pgoutput message that could not be decoded: which message, which field, where and why,
/// e.g. `Relation: truncated in column 3 name at byte 41`.
public struct PgOutputDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// The message ended inside the field.
        case truncated
        /// A tag, marker or setting byte that protocol version 1 does not define at that place.
        case unknown(UInt8)
        /// A length prefix below zero.
        case negativeLength(Int32)
        /// A name or prefix that is not valid UTF-8.
        case invalidUTF8
        /// Bytes left after the last field; a sign that the server speaks another protocol version.
        case trailingBytes(count: Int)
    }

    /// The message kind as the PostgreSQL docs name it (`Relation`, `Insert`, ...); `pgoutput` when the tag is unknown.
    public var message: String
    /// The field being read, e.g. `column 3 name`; columns count from 1, as PostgreSQL's attribute numbers do.
    public var field: String
    /// Where the field starts, counting the message-type byte as byte 0.
    public var byteOffset: Int
    public var reason: Reason

    public var description: String {
        let problem =
            switch reason {
            case .truncated: "truncated in \(field)"
            case .unknown(let byte): "unknown \(field) \(Self.describe(byte))"
            case .negativeLength(let length): "negative \(field) \(length)"
            case .invalidUTF8: "invalid UTF-8 in \(field)"
            case .trailingBytes(let count): "\(count) unexpected byte\(count == 1 ? "" : "s") after \(field)"
            }
        return "\(message): \(problem) at byte \(byteOffset)"
    }

    /// Tags and markers are ASCII letters, so show the letter when there is one.
    private static func describe(_ byte: UInt8) -> String {
        let hex = "0x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
        guard (0x21..<0x7F).contains(byte) else { return hex }
        return "'\(Character(Unicode.Scalar(byte)))' (\(hex))"
    }
}
