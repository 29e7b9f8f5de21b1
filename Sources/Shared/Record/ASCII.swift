/// Byte-level character classes for the hand-written parsers and writers.
enum ASCII {
    static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// The value of a hex digit of either case.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The high bit of every byte in a word.
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// For eight bytes at a time (SWAR): non-zero if any byte of `word` is a control character, `"` or `\`,
    /// the bytes a JSON string cannot hold as they are. Non-ASCII bytes do not count. Lets the string
    /// scanners skip ordinary text a word at a time.
    static func jsonSpecialBytes(in word: UInt64) -> UInt64 {
        // A byte below n sets its high bit in (x - n) & ~x, and only if some byte is below n.
        let controlBytes = (word &- ones &* 0x20) & ~word & highBits
        return controlBytes | bytes(equalTo: UInt8(ascii: "\""), in: word) | bytes(equalTo: UInt8(ascii: "\\"), in: word)
    }

    /// For eight bytes at a time (SWAR): the high bit of each byte of `word` equal to `byte`. Exact up to and
    /// including the first match in memory order (the lowest set bit on little-endian); bytes after a match may be
    /// flagged too, so use it to test for a match or to find the first one.
    static func bytes(equalTo byte: UInt8, in word: UInt64) -> UInt64 {
        // A byte equal to c is a zero byte of x ^ c, i.e. one below 1.
        let difference = word ^ (ones &* UInt64(byte))
        return (difference &- ones) & ~difference & highBits
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
}
