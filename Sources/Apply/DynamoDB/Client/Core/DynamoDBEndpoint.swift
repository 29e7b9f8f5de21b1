import Foundation

/// Where DynamoDB requests go, split into the parts a request needs: the URL to send to and the `Host` header,
/// which is signed and so must be exactly what goes on the wire.
public struct DynamoDBEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// `scheme://host[:port]`, without a trailing slash.
    public let origin: String
    /// `host` or `host:port` when the port is not the scheme's default.
    public let hostHeader: String
    /// The request path, `/` unless the endpoint URL names a path.
    public let path: String

    /// Parses an endpoint URL such as `http://127.0.0.1:58000` or `https://dynamodb.eu-west-1.amazonaws.com`.
    public init(url text: String) throws(DynamoDBConfigurationError) {
        guard let components = URLComponents(string: text),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty
        else {
            throw .invalidEndpoint(text)
        }
        let defaultPort = scheme == "https" ? 443 : 80
        // An IPv6 literal needs its brackets back in the Host header and URL.
        let bracketedHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let authority = components.port.map { $0 == defaultPort ? bracketedHost : "\(bracketedHost):\($0)" }
            ?? bracketedHost
        self.origin = "\(scheme)://\(authority)"
        self.hostHeader = authority
        self.path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
    }

    /// The public endpoint of `region`.
    public static func regional(_ region: String) throws(DynamoDBConfigurationError) -> DynamoDBEndpoint {
        // China regions live under a different domain.
        let domain = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return try DynamoDBEndpoint(url: "https://dynamodb.\(region).\(domain)")
    }

    public var url: String { origin + path }

    public var description: String { url }
}
