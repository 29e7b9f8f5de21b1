/// URI encoding as Signature Version 4 defines it: every byte of the UTF-8 form
/// except the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`) becomes
/// `%XY` with upper-case hex digits.
///
/// Spelled out rather than built on Foundation's `addingPercentEncoding`, whose
/// allowed sets are wider than SigV4's (they keep `+`, `=`, `&`, …) and whose
/// escapes would then have to be patched up.
enum AWSPercentEncoding {
    /// Encodes `text` as SigV4 requires; a `%` in the input is data and becomes `%25`.
    static func encode(_ text: some StringProtocol) -> String {
        var encoded: [UInt8] = []
        encoded.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            append(byte, to: &encoded)
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    /// Brings text that is already percent-encoded, such as a query taken from a
    /// request line, to SigV4's canonical encoding: valid `%XY` escapes are decoded
    /// and re-encoded (so `%7e` becomes `~` and `%2f` becomes `%2F`), and anything
    /// else outside the unreserved set is encoded. Idempotent.
    static func canonicalize(_ text: some StringProtocol) -> String {
        let bytes = Array(text.utf8)
        var encoded: [UInt8] = []
        encoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                append(high << 4 | low, to: &encoded)
                index += 3
            } else {
                append(bytes[index], to: &encoded)
                index += 1
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    private static let upperHexDigits = Array("0123456789ABCDEF".utf8)

    private static func append(_ byte: UInt8, to encoded: inout [UInt8]) {
        if isUnreserved(byte) {
            encoded.append(byte)
        } else {
            encoded.append(UInt8(ascii: "%"))
            encoded.append(upperHexDigits[Int(byte >> 4)])
            encoded.append(upperHexDigits[Int(byte & 0x0F)])
        }
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
