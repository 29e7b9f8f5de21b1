/// Reads ASCII text left to right in decimal fields: the one scanner under every date and time reader (PostgreSQL's
/// output, ISO-8601, SQLite's formats, filter literals), each adding its own fields as an extension. A read that
/// does not match returns nil or false and leaves the position where it was.
public struct DigitScanner<Bytes: RandomAccessCollection> where Bytes.Element == UInt8, Bytes.Index == Int {
    public let bytes: Bytes
    public var index: Int

    @inlinable
    public init(_ bytes: Bytes) {
        self.bytes = bytes
        index = bytes.startIndex
    }

    @inlinable
    public var isAtEnd: Bool { index == bytes.endIndex }

    @inlinable
    public var next: UInt8? { isAtEnd ? nil : bytes[index] }

    /// The value of the next byte if it is a digit.
    @inlinable
    public var nextDigit: Int? {
        guard let byte = next else { return nil }
        return Self.digit(byte)
    }

    @inlinable
    public mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard next == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    /// The bytes of `word` in order (` BC`).
    @inlinable
    public mutating func skip(word: String) -> Bool {
        guard bytes[index...].starts(with: word.utf8) else { return false }
        index += word.utf8.count
        return true
    }

    /// One or more spaces.
    @inlinable
    public mutating func skipSpaces() -> Bool {
        let start = index
        while skip(" ") {}
        return index > start
    }

    /// `+` or `-` as 1 or -1.
    @inlinable
    public mutating func sign() -> Int? {
        if skip("+") { return 1 }
        if skip("-") { return -1 }
        return nil
    }

    /// Exactly `digits` digits, whatever follows (`+0530` is two fields).
    @inlinable
    public mutating func number(digits: Int) -> Int? {
        guard bytes.endIndex - index >= digits else { return nil }
        var value = 0
        for byte in bytes[index..<index + digits] {
            guard let digit = Self.digit(byte) else { return nil }
            value = value * 10 + digit
        }
        index += digits
        return value
    }

    /// A run of `minDigits` to `maxDigits` digits not followed by another digit (a year of four to seven).
    @inlinable
    public mutating func number(minDigits: Int, maxDigits: Int) -> Int? {
        let start = index
        var value = 0
        while index - start < maxDigits, let digit = nextDigit {
            value = value * 10 + digit
            index += 1
        }
        guard index - start >= minDigits, nextDigit == nil else {
            index = start
            return nil
        }
        return value
    }

    /// The digits after a decimal point, at least one, in units of 10^-`scale` (`5` at scale 6 is 500,000);
    /// digits beyond `scale` are read and dropped.
    @inlinable
    public mutating func fraction(scale: Int) -> Int? {
        let start = index
        var value = 0
        while let digit = nextDigit {
            if index - start < scale { value = value * 10 + digit }
            index += 1
        }
        let count = index - start
        guard count > 0 else { return nil }
        for _ in count..<max(count, scale) { value *= 10 }
        return value
    }

    /// The value of an ASCII digit.
    @inlinable
    public static func digit(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
