extension PostgresTextValue {
    /// Writes the JSON of one value straight to `sink`: the same bytes as `decode` followed by the JSON writer,
    /// without a `JSONValue` or a `String` in between (the snapshot writes millions of them).
    ///
    /// Scalars of the common types are copied or escaped as they are; arrays, `json` and `bytea` (whose conversion
    /// builds structure), and any text the direct forms do not accept, go through `decode`, which also names
    /// what is wrong with a malformed value.
    package static func writeJSON(_ text: UnsafeRawBufferPointer?, as type: PostgresColumnType, to sink: inout ByteSink)
        throws(PostgresValueError)
    {
        guard let text else {
            sink.append("null")
            return
        }
        if !type.isArray, writeScalarDirectly(text, as: type.category, to: &sink) { return }
        sink.writeJSON(try decode(text, as: type))
    }

    /// Returns false, having written nothing, when `text` needs `decode`.
    private static func writeScalarDirectly(
        _ text: UnsafeRawBufferPointer, as category: PostgresColumnType.Category, to sink: inout ByteSink
    ) -> Bool {
        switch category {
        case .integer:
            guard JSONNumberSyntax.isValidInteger(text) else { return false }
            sink.append(text)
        case .numeric, .float:
            // NaN and ±Infinity are not JSON numbers: `decode` turns them into strings.
            guard JSONNumberSyntax.isValid(text) else { return false }
            sink.append(text)
        case .boolean:
            switch text.count == 1 ? text[0] : 0 {
            case UInt8(ascii: "t"): sink.append("true")
            case UInt8(ascii: "f"): sink.append("false")
            default: return false
            }
        case .text:
            guard UTF8Validation.firstInvalidOffset(in: text) == nil else { return false }
            sink.writeJSONString(utf8: text)
        case .date:
            guard (try? PostgresDateTime.validateDate(text)) != nil else { return false }
            sink.writeJSONString(utf8: text)
        case .timestamp, .timestamptz:
            // The ISO form holds only digits, `-`, `:`, `.`, `T`, `Z`, spaces and letters: nothing to escape.
            let start = sink.count
            sink.append(UInt8(ascii: "\""))
            do {
                try PostgresDateTime.writeTimestamp(text, withZone: category == .timestamptz, to: &sink)
            } catch {
                sink.truncate(to: start)
                return false
            }
            sink.append(UInt8(ascii: "\""))
        case .json, .bytea:
            return false
        }
        return true
    }
}
