/// Appends compact JSON (no insignificant whitespace) to a byte buffer.
///
/// Strings are written as UTF-8; only `"`, `\` and control characters are escaped. No Foundation, no
/// intermediate Strings: this is on capture's hot path.
public enum JSONWriter {
    public static func append(_ value: JSONValue, to buffer: inout [UInt8]) {
        var sink = ByteSink(capacity: 256)
        sink.writeJSON(value)
        buffer.append(contentsOf: sink.bytes)
    }

    /// Appends `text` as a quoted JSON string.
    public static func appendString(_ text: String, to buffer: inout [UInt8]) {
        var sink = ByteSink(capacity: text.utf8.count + 2)
        sink.writeJSONString(text)
        buffer.append(contentsOf: sink.bytes)
    }
}

extension JSONValue {
    /// The compact JSON text of this value.
    public var jsonBytes: [UInt8] {
        var sink = ByteSink(capacity: 256)
        sink.writeJSON(self)
        return Array(sink.bytes)
    }
}

extension ByteSink {
    package mutating func writeJSON(_ value: JSONValue) {
        switch value {
        case .null: append("null")
        case .bool(true): append("true")
        case .bool(false): append("false")
        case .number(let text): writeUTF8(text)
        case .string(let text): writeJSONString(text)
        case .array(let elements): writeJSONArray(elements)
        case .object(let object): writeJSONObject(object)
        }
    }

    mutating func writeJSONObject(_ object: JSONObject) {
        append(UInt8(ascii: "{"))
        var isFirst = true
        for field in object.fields {
            if !isFirst { append(UInt8(ascii: ",")) }
            isFirst = false
            writeJSONString(field.name)
            append(UInt8(ascii: ":"))
            writeJSON(field.value)
        }
        append(UInt8(ascii: "}"))
    }

    mutating func writeJSONArray(_ elements: [JSONValue]) {
        append(UInt8(ascii: "["))
        var isFirst = true
        for element in elements {
            if !isFirst { append(UInt8(ascii: ",")) }
            isFirst = false
            writeJSON(element)
        }
        append(UInt8(ascii: "]"))
    }

    package mutating func writeJSONString(_ text: String) {
        append(UInt8(ascii: "\""))
        if text.utf8.withContiguousStorageIfAvailable({ writeEscaped($0) }) == nil {
            var contiguous = text
            contiguous.withUTF8 { writeEscaped($0) }
        }
        append(UInt8(ascii: "\""))
    }

    /// Writes UTF-8 text (the caller has checked it is well-formed) as a quoted JSON string.
    package mutating func writeJSONString(utf8: UnsafeRawBufferPointer) {
        append(UInt8(ascii: "\""))
        writeEscaped(utf8.assumingMemoryBound(to: UInt8.self))
        append(UInt8(ascii: "\""))
    }

    package mutating func writeInteger(_ value: Int64) {
        if value < 0 { append(UInt8(ascii: "-")) }
        // UInt64.max has 20 digits; fill a stack buffer from the right, then copy once.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var remaining = value.magnitude
            var first = digits.count
            repeat {
                let (quotient, digit) = remaining.quotientAndRemainder(dividingBy: 10)
                first -= 1
                digits[first] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: digit)
                remaining = quotient
            } while remaining != 0
            append(UnsafeBufferPointer(rebasing: digits[first...]))
        }
    }

    /// Raw UTF-8 of text that is already valid JSON (numbers).
    private mutating func writeUTF8(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ append($0) }) == nil {
            var contiguous = text
            contiguous.withUTF8 { append($0) }
        }
    }

    private mutating func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        // Copy runs of bytes that need no escaping in one go; most strings are a single run.
        var runStart = 0
        var index = Self.firstByteNeedingEscape(in: utf8, from: 0)
        while index < utf8.count {
            append(UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            writeEscape(for: utf8[index])
            runStart = index + 1
            index = Self.firstByteNeedingEscape(in: utf8, from: runStart)
        }
        append(UnsafeBufferPointer(rebasing: utf8[runStart...]))
    }

    /// The offset of the first `"`, `\` or control character at or after `start`, or the count if none.
    private static func firstByteNeedingEscape(in utf8: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        if let base = UnsafeRawPointer(utf8.baseAddress) {
            while index + 8 <= utf8.count,
                ASCII.jsonSpecialBytes(in: base.loadUnaligned(fromByteOffset: index, as: UInt64.self)) == 0
            {
                index += 8
            }
        }
        while index < utf8.count {
            let byte = utf8[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return index }
            index += 1
        }
        return index
    }

    private mutating func writeEscape(for byte: UInt8) {
        append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): append(byte)
        case 0x08: append(UInt8(ascii: "b"))
        case 0x09: append(UInt8(ascii: "t"))
        case 0x0A: append(UInt8(ascii: "n"))
        case 0x0C: append(UInt8(ascii: "f"))
        case 0x0D: append(UInt8(ascii: "r"))
        default:
            let hexDigits: StaticString = "0123456789abcdef"
            append("u00")
            append(hexDigits.utf8Start[Int(byte >> 4)])
            append(hexDigits.utf8Start[Int(byte & 0xF)])
        }
    }
}
