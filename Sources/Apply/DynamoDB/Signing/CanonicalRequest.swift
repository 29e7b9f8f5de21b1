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
        guard !path.isEmpty else { return "/" }
        return path
            .split(separator: "/", omittingEmptySubsequences: false)
            .map(AWSPercentEncoding.encode)
            .joined(separator: "/")
    }

    /// Parameters with canonically encoded names and values, sorted by name and
    /// then by value (byte order), as `name=value` joined by `&`. A parameter
    /// without `=` gets an empty value.
    static func canonicalQuery(_ query: String) -> String {
        query
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
        var valuesByName: [String: [String]] = [:]
        for header in headers {
            valuesByName[header.name.lowercased(), default: []].append(normalizedHeaderValue(header.value))
        }
        return valuesByName
            .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .map { (name: $0.key, value: $0.value.joined(separator: ",")) }
    }

    private static func normalizedHeaderValue(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}
