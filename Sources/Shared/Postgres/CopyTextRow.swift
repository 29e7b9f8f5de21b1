/// Splits one row of `COPY ... TO STDOUT` text format into its fields and undoes COPY's escaping
/// (PostgreSQL docs, COPY "Text Format"): fields separated by tabs, `\N` is NULL, backslash escapes.
public enum CopyTextRow {
    /// Calls `body(index, field)` for each field; `field` is nil for NULL. Unescaped bytes go through `scratch`
    /// only for fields that contain a backslash, so most fields are passed without copying.
    public static func forEachField(
        in row: UnsafeRawBufferPointer, scratch: inout [UInt8],
        _ body: (Int, UnsafeRawBufferPointer?) throws -> Void
    ) throws {
        var index = 0
        var start = 0
        var position = 0
        var hasEscape = false
        let count = row.count
        while true {
            position = nextSeparatorOrBackslash(in: row, from: position)
            if position == count || row[position] == UInt8(ascii: "\t") {
                let field = UnsafeRawBufferPointer(rebasing: row[start..<position])
                if field.count == 2, field[0] == UInt8(ascii: "\\"), field[1] == UInt8(ascii: "N") {
                    try body(index, nil)
                } else if hasEscape {
                    try unescape(field, into: &scratch)
                    try scratch.withUnsafeBytes { try body(index, $0) }
                } else {
                    try body(index, field)
                }
                if position == count { return }
                index += 1
                position += 1
                start = position
                hasEscape = false
                continue
            }
            if row[position] == UInt8(ascii: "\\") {
                hasEscape = true
                position += 1  // the escaped byte is never a separator
                guard position < count else { throw MalformedCopyRow(reason: "row ends with a lone backslash") }
            }
            position += 1
        }
    }

    /// The offset of the first tab or backslash at or after `start`, or the count if none; eight bytes at a time
    /// (SWAR) while there are eight, since most of a row is field text.
    private static func nextSeparatorOrBackslash(in row: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        if let base = row.baseAddress {
            while index + 8 <= row.count {
                let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let found =
                    ASCII.bytes(equalTo: UInt8(ascii: "\t"), in: word) | ASCII.bytes(equalTo: UInt8(ascii: "\\"), in: word)
                // The lowest flagged byte is the first match (little-endian).
                if found != 0 { return index + found.trailingZeroBitCount / 8 }
                index += 8
            }
        }
        while index < row.count, row[index] != UInt8(ascii: "\t"), row[index] != UInt8(ascii: "\\") { index += 1 }
        return index
    }

    static func unescape(_ field: UnsafeRawBufferPointer, into output: inout [UInt8]) throws {
        output.removeAll(keepingCapacity: true)
        var position = 0
        while position < field.count {
            let byte = field[position]
            position += 1
            guard byte == UInt8(ascii: "\\"), position < field.count else {
                output.append(byte)
                continue
            }
            let escaped = field[position]
            position += 1
            switch escaped {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "v"): output.append(0x0B)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                // \ooo: one to three octal digits.
                var value = Int(escaped - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, position < field.count, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(field[position]) {
                    value = value * 8 + Int(field[position] - UInt8(ascii: "0"))
                    position += 1
                    digits += 1
                }
                output.append(UInt8(truncatingIfNeeded: value))
            case UInt8(ascii: "x"):
                // \xhh: one or two hex digits.
                var value = 0
                var digits = 0
                while digits < 2, position < field.count, let digit = hexValue(field[position]) {
                    value = value * 16 + digit
                    position += 1
                    digits += 1
                }
                guard digits > 0 else { throw MalformedCopyRow(reason: "\\x without hex digits") }
                output.append(UInt8(value))
            default:
                output.append(escaped)  // \\ and any other escaped byte stand for themselves
            }
        }
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A")) + 10
        default: nil
        }
    }
}
