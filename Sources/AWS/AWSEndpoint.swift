import Foundation

/// Where an AWS service's requests go, split into the parts a request needs: the URL to send to and the `Host`
/// header, which is signed and so must be exactly what goes on the wire.
public struct AWSEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// `scheme://host[:port]`, without a trailing slash.
    public let origin: String
    /// `host` or `host:port` when the port is not the scheme's default.
    public let hostHeader: String
    /// The request path, `/` unless the endpoint URL names a path.
    public let path: String

    /// Parses an endpoint URL such as `http://127.0.0.1:58000` or `https://dynamodb.eu-west-1.amazonaws.com`.
    public init(url text: String) throws(AWSEndpointError) {
        guard let components = URLComponents(string: text),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty
        else {
            throw AWSEndpointError(url: text)
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

    /// The public endpoint of `service` (its endpoint prefix, e.g. `dynamodb`, `sts`) in `region`.
    public static func regional(service: String, region: String) throws(AWSEndpointError) -> AWSEndpoint {
        try AWSEndpoint(url: "https://\(service).\(region).\(regionalDomain(region))")
    }

    /// The DNS suffix of `region`'s public endpoints: China regions live under a different domain.
    public static func regionalDomain(_ region: String) -> String {
        region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
    }

    public var url: String { origin + path }

    public var description: String { url }
}

/// An endpoint URL that is not `http(s)://host[:port][/path]`.
public struct AWSEndpointError: Error, Hashable, CustomStringConvertible {
    public let url: String

    public var description: String { "invalid AWS endpoint URL '\(url)': expected http(s)://host[:port]" }
}
