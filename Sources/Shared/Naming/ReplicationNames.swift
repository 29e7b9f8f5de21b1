import Crypto

/// The default replication slot and publication name of a prefix (one name serves both): the one home of the rule.
///
/// PostgreSQL allows slot names of `[a-z0-9_]`, at most 63 bytes. A prefix that is already such a name — lowercase
/// letters, digits and single `_` between them — keeps `ferry_<prefix>`, the name earlier versions gave it. Any other
/// prefix gets `ferry_<sanitised>__<hash>`: its letters lowercased and every other character `_` (shortened to fit),
/// then `__` and 16 hex digits of the SHA-256 of the prefix. A `__` appears only in the hashed form, so the two forms
/// never meet, and `orders-v2`, `orders_v2` and `Orders_v2` get three different slots.
public enum ReplicationNames {
    /// PostgreSQL's limit on a slot or publication name (NAMEDATALEN - 1).
    public static let maximumLength = 63
    private static let namePrefix = "ferry_"
    private static let hashDigits = 16

    public static func defaultName(forPrefix prefix: String) -> String {
        let plain = namePrefix + prefix
        if isPlain(prefix), plain.utf8.count <= maximumLength { return plain }
        let sanitised = prefix.unicodeScalars.map { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) ? String(scalar).lowercased() : "_"
        }.joined().prefix(maximumLength - namePrefix.count - 2 - hashDigits)
        let hash = SHA256.hash(data: Array(prefix.utf8)).prefix(hashDigits / 2).hexEncodedString
        return namePrefix + sanitised + "__" + hash
    }

    /// `[a-z0-9]` runs joined by single `_`.
    private static func isPlain(_ prefix: String) -> Bool {
        !prefix.isEmpty && prefix.unicodeScalars.allSatisfy(isPlainScalar) && !prefix.hasPrefix("_") && !prefix.hasSuffix("_")
            && !prefix.contains("__")
    }

    private static func isPlainScalar(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_"
    }
}
