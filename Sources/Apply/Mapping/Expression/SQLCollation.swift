/// SQLite's built-in collating sequences, which `COLLATE name` gives a comparison (and min, max, nullif).
enum SQLCollation: String, Sendable, Hashable, CaseIterable {
    /// UTF-8 bytes (SQLite's default).
    case binary = "BINARY"
    /// UTF-8 bytes with ASCII letters folded to lower case (é and É still differ).
    case nocase = "NOCASE"
    /// BINARY after dropping trailing spaces.
    case rtrim = "RTRIM"

    /// -1, 0 or 1: the order of two texts.
    func order(_ lhs: String, _ rhs: String) -> Int {
        var a = Array(lhs.utf8)[...]
        var b = Array(rhs.utf8)[...]
        switch self {
        case .binary: break
        case .nocase:
            a = a.map(Self.lowercased)[...]
            b = b.map(Self.lowercased)[...]
        case .rtrim:
            while a.last == UInt8(ascii: " ") { a = a.dropLast() }
            while b.last == UInt8(ascii: " ") { b = b.dropLast() }
        }
        return a.lexicographicallyPrecedes(b) ? -1 : a.elementsEqual(b) ? 0 : 1
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}
