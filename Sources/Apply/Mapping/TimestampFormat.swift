import Shared

/// How `timestamp`, `timestamptz`, `time` and `timetz` values (and arrays of them) are written to DynamoDB.
/// Records keep PostgreSQL's text, whose fraction drops trailing zeros (docs/design.md, "Column values"), so
/// `…:01Z` sorts after `…:01.5Z` as a string; `fixed` always writes six fraction digits, and then strings of
/// one zone sort as time (for years 0000–9999 AD: `infinity`, BC and five-digit years keep their own shapes).
public enum TimestampFormat: String, Sendable, CaseIterable {
    /// Six fraction digits always: `2024-01-02T03:04:05.000000Z`, `15:00:00.500000+02`.
    case fixed
    /// The record's text, as PostgreSQL printed it.
    case source

    /// `value` as this format writes a column of type `typeName`: strings of the time types (and arrays of them)
    /// in fixed form; everything else as it is.
    func value(_ value: JSONValue, typeName: String?) -> JSONValue {
        guard self == .fixed, let typeName, Self.timeTypes.contains(typeName) else { return value }
        return Self.fixed(value)
    }

    private static let timeTypes: Set<String> = [
        "timestamp", "timestamptz", "time", "timetz", "timestamp[]", "timestamptz[]", "time[]", "timetz[]",
    ]

    private static func fixed(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): .string(fixedWidth(text))
        case .array(let elements): .array(elements.map(fixed))
        default: value
        }
    }

    /// `text` with exactly six fraction digits after its `HH:MM:SS` (trailing zeros added, a `.000000` inserted
    /// where there was no fraction); text without a time of day (`infinity`) as it is.
    static func fixedWidth(_ text: String) -> String {
        let bytes = Array(text.utf8)
        // The time of day is the first `HH:MM:SS`: its first colon is the first colon of the text.
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon >= 2, colon + 6 <= bytes.count,
            bytes[colon + 3] == UInt8(ascii: ":")
        else { return text }
        let secondsEnd = colon + 6
        var fractionEnd = secondsEnd
        if fractionEnd < bytes.count, bytes[fractionEnd] == UInt8(ascii: ".") {
            fractionEnd += 1
            while fractionEnd < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[fractionEnd]) { fractionEnd += 1 }
        }
        let digits = fractionEnd == secondsEnd ? 0 : fractionEnd - secondsEnd - 1
        guard digits != 6 else { return text }
        var result = Array(bytes[..<secondsEnd])
        result.reserveCapacity(bytes.count + 7)
        result.append(UInt8(ascii: "."))
        if digits > 0 { result.append(contentsOf: bytes[(secondsEnd + 1)..<fractionEnd].prefix(6)) }
        result.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: max(0, 6 - digits)))
        result.append(contentsOf: bytes[fractionEnd...])
        return String(decoding: result, as: UTF8.self)
    }
}
