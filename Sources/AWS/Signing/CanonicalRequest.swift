/// SigV4's canonical form of a request ("task 1" of the signing process): the
/// text whose hash is signed, and the signed-header list that the
/// `Authorization` header repeats so AWS can rebuild the same text.
struct CanonicalRequest: Sendable {
    let text: String
    /// Lower-cased header names, sorted and joined by `;`.
    let signedHeaders: String

    init(
        method: String,
        path: String,
        query: String,
        headers: [(name: String, value: String)],
        payloadHash: String
    ) {
        let canonicalHeaders = Self.canonicalHeaders(headers)
        self.signedHeaders = canonicalHeaders.map(\.name).joined(separator: ";")
        self.text = [
            method,
            Self.canonicalURI(path),
            Self.canonicalQuery(query),
            canonicalHeaders.map { "\($0.name):\($0.value)\n" }.joined(),
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")
    }

    /// Encodes each path segment once more. For services other than S3 AWS
    /// specifies encoding the already-encoded wire path again, so `/a%20b`
    /// signs as `/a%2520b`; a raw `/a b` signs as `/a%20b`. Dot segments and
    /// repeated slashes are kept: the path is signed exactly as it is sent.
    static func canonicalURI(_ path: String) -> String {
        guard !path.isEmpty, path != "/" else { return "/" }
        return path
            .split(separator: "/", omittingEmptySubsequences: false)
            .map(AWSPercentEncoding.encode)
            .joined(separator: "/")
    }

    /// Parameters with canonically encoded names and values, sorted by name and
    /// then by value (byte order), as `name=value` joined by `&`. A parameter
    /// without `=` gets an empty value.
    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        return query
            .split(separator: "&")
            .map { parameter -> (name: String, value: String) in
                let parts = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let value = parts.count > 1 ? AWSPercentEncoding.canonicalize(parts[1]) : ""
                return (AWSPercentEncoding.canonicalize(parts[0]), value)
            }
            .sorted { lhs, rhs in
                lhs.name == rhs.name
                    ? lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8)
                    : lhs.name.utf8.lexicographicallyPrecedes(rhs.name.utf8)
            }
            .map { "\($0.name)=\($0.value)" }
            .joined(separator: "&")
    }

    /// Lower-cased names sorted in byte order; each value trimmed with inner
    /// runs of spaces collapsed to one; values of a repeated name joined by `,`
    /// in the order they were given.
    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        // A stable sort keeps a repeated name's values in the order given; neighbours of one name then merge.
        let sorted = headers.enumerated()
            .map { (order: $0.offset, name: asciiLowercased($0.element.name), value: normalizedHeaderValue($0.element.value)) }
            .sorted { lhs, rhs in
                lhs.name == rhs.name ? lhs.order < rhs.order : lhs.name.utf8.lexicographicallyPrecedes(rhs.name.utf8)
            }
        var merged: [(name: String, value: String)] = []
        merged.reserveCapacity(sorted.count)
        for header in sorted {
            if let last = merged.last, last.name == header.name {
                merged[merged.count - 1].value = last.value + "," + header.value
            } else {
                merged.append((name: header.name, value: header.value))
            }
        }
        return merged
    }

    /// Header names are ASCII; most are sent lower-case already and keep their storage.
    static func asciiLowercased(_ name: String) -> String {
        name.utf8.contains(where: { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) ? name.lowercased() : name
    }

    private static func normalizedHeaderValue(_ value: String) -> String {
        guard needsNormalizing(value) else { return value }
        return value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// Whether a value has a tab, two spaces in a row, or a space at either end: values the signer sets never do.
    private static func needsNormalizing(_ value: String) -> Bool {
        let bytes = value.utf8
        guard let first = bytes.first, let last = bytes.last else { return false }
        if first == UInt8(ascii: " ") || last == UInt8(ascii: " ") { return true }
        var previousWasSpace = false
        for byte in bytes {
            if byte == UInt8(ascii: "\t") || (byte == UInt8(ascii: " ") && previousWasSpace) { return true }
            previousWasSpace = byte == UInt8(ascii: " ")
        }
        return false
    }
}
