/// The IAM role credentials of an EC2 instance, through IMDSv2: a session token from `PUT /latest/api/token`,
/// then the role name and its credentials from `/latest/meta-data/iam/security-credentials/`.
///
/// Off EC2 the address does not answer; a short timeout keeps that from delaying start-up, and it counts as
/// "not configured". `AWS_EC2_METADATA_DISABLED=true` skips the lookup; `AWS_EC2_METADATA_SERVICE_ENDPOINT`
/// overrides the address.
public struct InstanceMetadataCredentialsProvider: AWSCredentialsProvider {
    public static let defaultBaseURL = "http://169.254.169.254"
    static let tokenPath = "/latest/api/token"
    static let credentialsPath = "/latest/meta-data/iam/security-credentials/"
    static let tokenTTLHeader = "X-aws-ec2-metadata-token-ttl-seconds"
    static let tokenHeader = "X-aws-ec2-metadata-token"

    private let environment: [String: String]
    private let transport: any AWSHTTPTransport
    private let baseURL: String
    private let timeout: Duration

    public init(
        environment: [String: String],
        transport: any AWSHTTPTransport,
        baseURL: String? = nil,
        timeout: Duration = .seconds(1)
    ) {
        self.environment = environment
        self.transport = transport
        let configuredEndpoint = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 }
        let base = baseURL ?? configuredEndpoint ?? Self.defaultBaseURL
        self.baseURL = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.timeout = timeout
    }

    public func lookUpCredentials() async throws -> AWSCredentialsLookup {
        if environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" {
            return .notConfigured("EC2 instance metadata: disabled by AWS_EC2_METADATA_DISABLED")
        }
        // The token request is the reachability probe: off EC2 it fails fast and the chain moves on.
        let token: String
        do {
            let response = try await transport.send(
                AWSHTTPRequest(method: "PUT", url: baseURL + Self.tokenPath, headers: [(Self.tokenTTLHeader, "21600")]),
                timeout: timeout
            )
            guard response.isSuccess else {
                return .notConfigured("EC2 instance metadata at \(baseURL): token request answered \(response.status)")
            }
            token = String(decoding: response.body, as: UTF8.self)
        } catch is AWSHTTPTransportError {
            return .notConfigured("EC2 instance metadata at \(baseURL): not reachable")
        }

        let roleList = try await get(Self.credentialsPath, token: token)
        guard roleList.status != 404 else {
            return .notConfigured("EC2 instance metadata at \(baseURL): the instance has no IAM role")
        }
        let roleName = try successBody(roleList, what: "role list")
            .split(whereSeparator: \.isNewline).first.map { $0.trimmingWhitespace() } ?? ""
        guard !roleName.isEmpty else {
            return .notConfigured("EC2 instance metadata at \(baseURL): the instance has no IAM role")
        }
        let credentials = try await get(Self.credentialsPath + roleName, token: token)
        _ = try successBody(credentials, what: "credentials of role \(roleName)")
        return .found(try MetadataCredentialsResponse.parse(credentials.body, source: source))
    }

    private var source: String { "EC2 instance metadata at \(baseURL)" }

    private func get(_ path: String, token: String) async throws -> AWSHTTPResponse {
        do {
            return try await transport.send(
                AWSHTTPRequest(method: "GET", url: baseURL + path, headers: [(Self.tokenHeader, token)]),
                timeout: timeout
            )
        } catch let error as AWSHTTPTransportError {
            throw AWSCredentialsError.unanswered(source: source, error)
        }
    }

    private func successBody(_ response: AWSHTTPResponse, what: String) throws(AWSCredentialsError) -> String {
        guard response.isSuccess else {
            throw .refused(source: source, status: response.status, reason: "\(what): HTTP status \(response.status)")
        }
        return String(decoding: response.body, as: UTF8.self)
    }
}
