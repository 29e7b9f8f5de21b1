import Foundation

/// `AssumeRoleWithWebIdentity` with the token in a file, re-read at every lookup because its issuer rotates it
/// (EKS IRSA mounts a projected service-account token). Configured by `AWS_WEB_IDENTITY_TOKEN_FILE`,
/// `AWS_ROLE_ARN` and optionally `AWS_ROLE_SESSION_NAME`, or by a profile's `web_identity_token_file`,
/// `role_arn` and `role_session_name`.
struct WebIdentityCredentialsProvider: AWSCredentialsProvider {
    let role: STSClient.RoleRequest
    let tokenFile: String
    let sts: STSClient

    func lookUpCredentials() async throws -> AWSCredentialsLookup {
        let token: String
        do {
            token = try String(contentsOfFile: tokenFile, encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw AWSCredentialsError.unreadableFile(path: tokenFile, reason: String(describing: error))
        }
        guard !token.isEmpty else {
            throw AWSCredentialsError.invalidSource(
                source: "web identity token file \(tokenFile)", reason: "it is empty")
        }
        var credentials = try await sts.assumeRoleWithWebIdentity(role, token: token)
        credentials.source = "web identity (\(tokenFile)) → \(credentials.source)"
        return .found(credentials)
    }
}

/// The web identity settings of the environment; a half-configured pair is an error, not a fall-through.
struct EnvironmentWebIdentityCredentialsProvider: AWSCredentialsProvider {
    let environment: [String: String]
    let sts: @Sendable () throws(AWSCredentialsError) -> STSClient

    func lookUpCredentials() async throws -> AWSCredentialsLookup {
        func variable(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        switch (variable("AWS_WEB_IDENTITY_TOKEN_FILE"), variable("AWS_ROLE_ARN")) {
        case (nil, nil):
            return .notConfigured("web identity: AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set")
        case (let tokenFile?, let roleArn?):
            let role = STSClient.RoleRequest(
                roleArn: roleArn, sessionName: variable("AWS_ROLE_SESSION_NAME") ?? defaultRoleSessionName())
            return try await WebIdentityCredentialsProvider(role: role, tokenFile: tokenFile, sts: try sts())
                .lookUpCredentials()
        case (_?, nil):
            throw AWSCredentialsError.invalidSource(
                source: "web identity", reason: "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not")
        case (nil, _?):
            throw AWSCredentialsError.invalidSource(
                source: "web identity", reason: "AWS_ROLE_ARN is set but AWS_WEB_IDENTITY_TOKEN_FILE is not")
        }
    }
}

/// The session name when none is configured: like the SDKs, unique per process and start time, so CloudTrail
/// can tell sessions apart.
func defaultRoleSessionName(now: Date = Date()) -> String {
    "ferry-\(Int(now.timeIntervalSince1970))-\(ProcessInfo.processInfo.processIdentifier)"
}
