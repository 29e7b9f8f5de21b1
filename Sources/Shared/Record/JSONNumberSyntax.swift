/// The JSON number grammar (RFC 8259 §6), shared by the parser and everything that builds numbers from outside text.
enum JSONNumberSyntax {
    enum ScanResult: Equatable {
        /// A number ends just before this offset.
        case end(Int)
        /// The byte at this offset (or the end of input, if equal to the count) cannot continue a number.
        case invalid(at: Int)
    }

    /// Scans the longest number starting at `start`.
    static func scan(_ bytes: UnsafeRawBufferPointer, from start: Int) -> ScanResult {
        let count = bytes.count
        var index = start
        func isDigit(_ offset: Int) -> Bool {
            offset < count && ASCII.isDigit(bytes[offset])
        }
        func skipDigits() {
            while isDigit(index) { index += 1 }
        }

        if index < count && bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard isDigit(index) else { return .invalid(at: index) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            skipDigits()
        }
        if index < count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard isDigit(index) else { return .invalid(at: index) }
            skipDigits()
        }
        if index < count && bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
            guard isDigit(index) else { return .invalid(at: index) }
            skipDigits()
        }
        return .end(index)
    }

    /// Whether all of `bytes` is exactly one JSON number.
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        scan(bytes, from: 0) == .end(bytes.count)
    }

    /// Whether all of `bytes` is a JSON number without fraction or exponent.
    static func isValidInteger(_ bytes: UnsafeRawBufferPointer) -> Bool {
        isValid(bytes) && !bytes.contains { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }
    }
}
