import Foundation

/// The credentials endpoint ECS and EKS give a container:
/// - `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`, a path on the ECS agent at 169.254.170.2;
/// - `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with the `Authorization` header value in the file
///   `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (EKS Pod Identity) or in `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
public struct ContainerCredentialsProvider: AWSCredentialsProvider {
    /// The ECS agent's credentials host; tests point it elsewhere.
    public static let defaultRelativeBaseURL = "http://169.254.170.2"

    private let environment: [String: String]
    private let transport: any AWSHTTPTransport
    private let relativeBaseURL: String
    private let timeout: Duration

    public init(
        environment: [String: String],
        transport: any AWSHTTPTransport,
        relativeBaseURL: String = defaultRelativeBaseURL,
        timeout: Duration = .seconds(5)
    ) {
        self.environment = environment
        self.transport = transport
        self.relativeBaseURL = relativeBaseURL
        self.timeout = timeout
    }

    public func lookUpCredentials() async throws -> AWSCredentialsLookup {
        func variable(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let request: AWSHTTPRequest
        if let relativeURI = variable("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            request = AWSHTTPRequest(method: "GET", url: relativeBaseURL + relativeURI)
        } else if let fullURI = variable("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            try Self.checkFullURIHost(fullURI)
            request = AWSHTTPRequest(method: "GET", url: fullURI, headers: try authorizationHeader(variable))
        } else {
            return .notConfigured(
                "container endpoint: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are not set")
        }
        let source = "container credentials endpoint \(request.url)"
        let response: AWSHTTPResponse
        do {
            response = try await transport.send(request, timeout: timeout)
        } catch let error as AWSHTTPTransportError {
            throw AWSCredentialsError.unanswered(source: source, error)
        }
        guard response.isSuccess else {
            throw AWSCredentialsError.refused(
                source: source, status: response.status, reason: "HTTP status \(response.status)")
        }
        return .found(try MetadataCredentialsResponse.parse(response.body, source: source))
    }

    /// The token file wins over the token variable, as in the SDKs, and is read at every lookup: the EKS Pod
    /// Identity agent's token is rotated, and a refresh must present the current one.
    private func authorizationHeader(_ variable: (String) -> String?) throws -> [(name: String, value: String)] {
        if let tokenFile = variable("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            do {
                let token = try String(contentsOfFile: tokenFile, encoding: .utf8)
                return [(name: "Authorization", value: token.trimmingCharacters(in: .whitespacesAndNewlines))]
            } catch {
                throw AWSCredentialsError.unreadableFile(path: tokenFile, reason: String(describing: error))
            }
        }
        guard let token = variable("AWS_CONTAINER_AUTHORIZATION_TOKEN") else { return [] }
        return [(name: "Authorization", value: token)]
    }

    /// The SDKs send the authorization token only over TLS or to the container hosts' own addresses, so a
    /// tampered variable cannot leak it to an arbitrary plain-HTTP host.
    static func checkFullURIHost(_ uri: String) throws(AWSCredentialsError) {
        let components = URLComponents(string: uri)
        let allowedPlainHTTPHosts: Set<String> = ["localhost", "127.0.0.1", "::1", "169.254.170.2", "169.254.170.23",
                                                  "fd00:ec2::23"]
        let host = components?.host?.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        switch (components?.scheme?.lowercased(), host) {
        case ("https", _?):
            return
        case ("http", let host?) where allowedPlainHTTPHosts.contains(host) || host.hasPrefix("127."):
            return
        default:
            throw .invalidSource(
                source: "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                reason: "'\(uri)' must be https, or http to a loopback or container credentials address"
            )
        }
    }
}
