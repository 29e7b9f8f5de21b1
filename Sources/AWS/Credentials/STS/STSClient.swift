import Foundation

/// AWS STS over the Query protocol (form-encoded `POST /`, XML answers) at the regional endpoint
/// `https://sts.<region>.amazonaws.com`, or `AWS_ENDPOINT_URL_STS` / `AWS_ENDPOINT_URL` when set.
/// `AssumeRole` is signed with the caller's credentials; `AssumeRoleWithWebIdentity` is not signed: the token
/// is the proof of identity.
struct STSClient: Sendable {
    static let apiVersion = "2011-06-15"

    let endpoint: AWSEndpoint
    let region: String
    let transport: any AWSHTTPTransport
    let timeout: Duration

    init(
        endpoint: AWSEndpoint, region: String, transport: any AWSHTTPTransport, timeout: Duration = .seconds(10)
    ) {
        self.endpoint = endpoint
        self.region = region
        self.transport = transport
        self.timeout = timeout
    }

    /// The client for `region` (else `AWS_REGION`, `AWS_DEFAULT_REGION`, else `us-east-1`), honouring the
    /// endpoint overrides of the environment.
    static func standard(
        environment: [String: String], region: String?, transport: any AWSHTTPTransport
    ) throws(AWSCredentialsError) -> STSClient {
        func variable(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let region = region ?? variable("AWS_REGION") ?? variable("AWS_DEFAULT_REGION") ?? "us-east-1"
        let url = variable("AWS_ENDPOINT_URL_STS") ?? variable("AWS_ENDPOINT_URL")
            ?? "https://sts.\(region).\(AWSEndpoint.regionalDomain(region))"
        do {
            return STSClient(endpoint: try AWSEndpoint(url: url), region: region, transport: transport)
        } catch {
            throw .invalidSource(source: "STS endpoint", reason: "'\(url)' is not an http(s) URL")
        }
    }

    struct RoleRequest: Sendable, Hashable {
        var roleArn: String
        var sessionName: String
        var externalId: String?
        var durationSeconds: Int?
    }

    func assumeRole(_ role: RoleRequest, with credentials: AWSCredentials) async throws -> ExpiringAWSCredentials {
        var parameters = [("RoleArn", role.roleArn), ("RoleSessionName", role.sessionName)]
        if let externalId = role.externalId { parameters.append(("ExternalId", externalId)) }
        if let duration = role.durationSeconds { parameters.append(("DurationSeconds", String(duration))) }
        return try await call("AssumeRole", parameters, role: role.roleArn, signedWith: credentials)
    }

    func assumeRoleWithWebIdentity(_ role: RoleRequest, token: String) async throws -> ExpiringAWSCredentials {
        var parameters = [("RoleArn", role.roleArn), ("RoleSessionName", role.sessionName), ("WebIdentityToken", token)]
        if let duration = role.durationSeconds { parameters.append(("DurationSeconds", String(duration))) }
        return try await call("AssumeRoleWithWebIdentity", parameters, role: role.roleArn, signedWith: nil)
    }

    private func call(
        _ action: String, _ parameters: [(String, String)], role: String, signedWith credentials: AWSCredentials?
    ) async throws -> ExpiringAWSCredentials {
        let source = "STS \(action) of \(role) at \(endpoint.url)"
        let form = ([("Action", action), ("Version", Self.apiVersion)] + parameters)
            .map { "\(AWSPercentEncoding.encode($0.0))=\(AWSPercentEncoding.encode($0.1))" }
            .joined(separator: "&")
        let body = Array(form.utf8)
        var headers = [
            (name: "Host", value: endpoint.hostHeader),
            (name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8"),
        ]
        if let credentials {
            let signer = SigV4Signer(credentials: credentials, region: region, service: "sts")
            headers += signer.sign(SignableRequest(method: "POST", path: endpoint.path, headers: headers, body: body),
                                   at: Date())
        }
        let response: AWSHTTPResponse
        do {
            response = try await transport.send(
                AWSHTTPRequest(method: "POST", url: endpoint.url, headers: headers, body: body), timeout: timeout)
        } catch let error as AWSHTTPTransportError {
            throw AWSCredentialsError.unanswered(source: source, error)
        }
        guard response.isSuccess else {
            let reason = STSResponse.error(response.body) ?? "no error text"
            throw AWSCredentialsError.refused(
                source: source, status: response.status, reason: "HTTP status \(response.status): \(reason)",
                errorCode: STSResponse.errorCode(response.body))
        }
        do {
            var credentials = try STSResponse.credentials(response.body)
            credentials.source = source
            return credentials
        } catch {
            throw AWSCredentialsError.invalidSource(source: source, reason: error.description)
        }
    }
}
