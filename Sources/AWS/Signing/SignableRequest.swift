/// The parts of an HTTP request that Signature Version 4 covers, in the form
/// they take on the wire. Sign exactly what will be sent: a header or byte
/// changed after signing invalidates the signature.
public struct SignableRequest: Sendable {
    /// The HTTP method, e.g. `POST`.
    public var method: String
    /// The absolute path as sent on the request line, without the query.
    /// An empty path is signed as `/`.
    public var path: String
    /// The query as sent on the request line, without the leading `?`; empty when there is none.
    public var query: String
    /// The headers to send, including `Host`, which SigV4 requires to be signed.
    /// A name may repeat. Headers the signer sets itself (`Authorization`,
    /// `X-Amz-Date`, `X-Amz-Security-Token`, `X-Amz-Content-Sha256`) are ignored:
    /// the values `SigV4Signer.sign` returns replace them.
    public var headers: [(name: String, value: String)]
    /// The exact bytes sent; their SHA-256 is part of what is signed.
    public var body: [UInt8]

    public init(
        method: String,
        path: String = "/",
        query: String = "",
        headers: [(name: String, value: String)],
        body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// Builds the query from unencoded name/value pairs, percent-encoding them the
    /// way SigV4 does, so `query` is ready to put on the request line as is.
    public init(
        method: String,
        path: String = "/",
        queryItems: [(name: String, value: String)],
        headers: [(name: String, value: String)],
        body: [UInt8] = []
    ) {
        let query = queryItems
            .map { "\(AWSPercentEncoding.encode($0.name))=\(AWSPercentEncoding.encode($0.value))" }
            .joined(separator: "&")
        self.init(method: method, path: path, query: query, headers: headers, body: body)
    }
}
