/// Standard base64 (RFC 4648 §4, with padding), the form records give `bytea` values in.
public enum Base64 {
    private static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            let group = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            output.append(alphabet[Int(group >> 18 & 0x3F)])
            output.append(alphabet[Int(group >> 12 & 0x3F)])
            output.append(second == nil ? UInt8(ascii: "=") : alphabet[Int(group >> 6 & 0x3F)])
            output.append(third == nil ? UInt8(ascii: "=") : alphabet[Int(group & 0x3F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Re-encodes PostgreSQL's hex `bytea` output (`\x0a0b`, `bytea_output=hex`) as base64.
    static func encode(hexBytea text: UnsafeRawBufferPointer) throws(InvalidPostgresText) -> String {
        guard text.starts(with: #"\x"#.utf8), text.count % 2 == 0 else {
            throw InvalidPostgresText(reason: #"not hex bytea output (\x followed by pairs of hex digits)"#)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 2 - 1)
        var index = 2
        while index < text.count {
            guard let high = ASCII.hexValue(text[index]) else { throw invalidHexDigit(at: index) }
            guard let low = ASCII.hexValue(text[index + 1]) else { throw invalidHexDigit(at: index + 1) }
            bytes.append(high << 4 | low)
            index += 2
        }
        return encode(bytes)
    }

    private static func invalidHexDigit(at offset: Int) -> InvalidPostgresText {
        InvalidPostgresText(reason: "invalid hex digit at byte \(offset)")
    }

    /// Each byte's 6-bit value in the alphabet; 0xFF for bytes outside it.
    private static let sextets: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }()

    /// The bytes of padded base64 text, or nil if `text` is not exactly that.
    public static func decode(_ text: String) -> [UInt8]? {
        let input = Array(text.utf8)
        guard input.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 4 * 3)
        var index = 0
        while index < input.count {
            let isLastGroup = index + 4 == input.count
            let padding = isLastGroup ? input[index...].reversed().prefix { $0 == UInt8(ascii: "=") }.count : 0
            guard padding <= 2 else { return nil }
            var group: UInt32 = 0
            for offset in 0..<4 {
                let byte = input[index + offset]
                let sextet = offset < 4 - padding ? sextets[Int(byte)] : 0
                guard sextet != 0xFF else { return nil }
                group = group << 6 | UInt32(sextet)
            }
            output.append(UInt8(truncatingIfNeeded: group >> 16))
            if padding < 2 { output.append(UInt8(truncatingIfNeeded: group >> 8)) }
            if padding < 1 { output.append(UInt8(truncatingIfNeeded: group)) }
            index += 4
        }
        return output
    }
}
