extension Sequence<UInt8> {
    /// Lower-case hexadecimal: SigV4's hashes and signatures, topic-name escapes, hashed slot names.
    public var hexEncodedString: String {
        let bytes = Array(self)
        return String(unsafeUninitializedCapacity: bytes.count * 2) { hex in
            for (index, byte) in bytes.enumerated() {
                hex[2 * index] = Self.hexDigit(byte >> 4)
                hex[2 * index + 1] = Self.hexDigit(byte & 0x0F)
            }
            return bytes.count * 2
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
