/// A PostgreSQL WAL position (`pg_lsn`), written the way PostgreSQL writes it: `X/Y`, the high and low
/// 32 bits in uppercase hex without leading zeros, e.g. `0/16B6F40`.
public struct LSN: RawRepresentable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public var rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// Parses `X/Y` as `pg_lsn_in` does: one to eight hex digits (either case) on each side of the slash.
    public init?(_ text: String) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var digitsInPart = 0
        var seenSlash = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: "/") {
                guard !seenSlash, digitsInPart > 0 else { return nil }
                seenSlash = true
                digitsInPart = 0
                continue
            }
            guard let digit = ASCII.hexValue(byte), digitsInPart < 8 else { return nil }
            digitsInPart += 1
            if seenSlash {
                low = low << 4 | UInt64(digit)
            } else {
                high = high << 4 | UInt64(digit)
            }
        }
        guard seenSlash, digitsInPart > 0 else { return nil }
        self.rawValue = high << 32 | low
    }

    public var description: String {
        String(rawValue >> 32, radix: 16, uppercase: true) + "/"
            + String(rawValue & 0xFFFF_FFFF, radix: 16, uppercase: true)
    }

    /// Writes `description`'s bytes without building a String (record encoding is on the hot path).
    func write(to sink: inout ByteSink) {
        Self.writeHex(UInt32(truncatingIfNeeded: rawValue >> 32), to: &sink)
        sink.append(UInt8(ascii: "/"))
        Self.writeHex(UInt32(truncatingIfNeeded: rawValue), to: &sink)
    }

    private static func writeHex(_ value: UInt32, to sink: inout ByteSink) {
        let digits: StaticString = "0123456789ABCDEF"
        let significantNibbles = max(1, (32 - value.leadingZeroBitCount + 3) / 4)
        for nibble in stride(from: significantNibbles - 1, through: 0, by: -1) {
            sink.append(digits.utf8Start[Int(value >> (nibble * 4) & 0xF)])
        }
    }

    public static func < (lhs: LSN, rhs: LSN) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
