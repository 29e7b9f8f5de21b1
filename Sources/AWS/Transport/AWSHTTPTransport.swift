/// One HTTP exchange with an AWS endpoint, kept free of any HTTP library's types so the DynamoDB client and the
/// credential providers can be tested against an in-memory transport.
public protocol AWSHTTPTransport: Sendable {
    /// Sends `request` and returns the whole response, or throws `AWSHTTPTransportError` when no response came.
    func send(_ request: AWSHTTPRequest, timeout: Duration) async throws -> AWSHTTPResponse
}

public struct AWSHTTPRequest: Sendable {
    public var method: String
    /// The absolute URL, e.g. `https://dynamodb.eu-west-1.amazonaws.com/`.
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The value of the first header called `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

public struct AWSHTTPResponse: Sendable {
    public var status: Int
    public var body: [UInt8]

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// A request that got no HTTP response. `kind` says whether trying again can help.
public struct AWSHTTPTransportError: Error, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The connection could not be opened (refused, unreachable, DNS, TLS handshake).
        case connectionFailed
        /// The peer closed or reset the connection before answering.
        case connectionLost
        /// No answer within the time allowed.
        case timedOut
        /// The request could not be sent at all (bad URL, client shut down): retrying cannot help.
        case unusable
    }

    public var kind: Kind
    /// The HTTP layer's own account of the failure.
    public var detail: String

    public init(kind: Kind, detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String {
        switch kind {
        case .connectionFailed: "could not connect: \(detail)"
        case .connectionLost: "connection lost: \(detail)"
        case .timedOut: "timed out: \(detail)"
        case .unusable: "request not sent: \(detail)"
        }
    }
}
