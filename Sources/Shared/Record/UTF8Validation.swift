/// Strict UTF-8 well-formedness (Unicode Table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF),
/// with the offset of the first offending byte for error messages.
enum UTF8Validation {
    /// The offset of the first byte that does not start a well-formed sequence, or nil if `bytes` is valid UTF-8.
    static func firstInvalidOffset(in bytes: UnsafeRawBufferPointer) -> Int? {
        var index = 0
        while index < bytes.count {
            if let base = bytes.baseAddress {
                // Skip ASCII eight bytes at a time.
                while index + 8 <= bytes.count,
                    base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & ASCII.highBits == 0
                {
                    index += 8
                }
                guard index < bytes.count else { return nil }
            }
            if bytes[index] < 0x80 {
                index += 1
            } else if let length = sequenceLength(in: bytes, at: index) {
                index += length
            } else {
                return index
            }
        }
        return nil
    }

    /// The length of the well-formed multi-byte sequence starting at `index`, or nil if there is none.
    static func sequenceLength(in bytes: UnsafeRawBufferPointer, at index: Int) -> Int? {
        let (length, secondRange): (Int, ClosedRange<UInt8>)
        switch bytes[index] {
        case 0xC2...0xDF: (length, secondRange) = (2, 0x80...0xBF)
        case 0xE0: (length, secondRange) = (3, 0xA0...0xBF)  // no overlong forms
        case 0xE1...0xEC, 0xEE...0xEF: (length, secondRange) = (3, 0x80...0xBF)
        case 0xED: (length, secondRange) = (3, 0x80...0x9F)  // no UTF-16 surrogates
        case 0xF0: (length, secondRange) = (4, 0x90...0xBF)  // no overlong forms
        case 0xF1...0xF3: (length, secondRange) = (4, 0x80...0xBF)
        case 0xF4: (length, secondRange) = (4, 0x80...0x8F)  // nothing above U+10FFFF
        default: return nil
        }
        guard index + length <= bytes.count, secondRange.contains(bytes[index + 1]) else { return nil }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) {
            return nil
        }
        return length
    }
}
