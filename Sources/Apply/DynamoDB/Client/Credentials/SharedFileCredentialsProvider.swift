/// The static keys of the active profile in the shared credentials and config files (see `AWSSharedConfig`):
/// `aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`.
///
/// Profiles that obtain credentials another way (`role_arn`, `sso_session`, `credential_process`) need AWS STS or
/// SSO, which Ferry does not call; such a profile is reported as unusable rather than skipped.
public struct SharedFileCredentialsProvider: AWSCredentialsProvider {
    private let environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    public func lookUpCredentials() throws(AWSCredentialsError) -> AWSCredentialsLookup {
        let config = try AWSSharedConfig(environment: environment)
        let source = "profile '\(config.profileName)' of \(config.credentialsFilePath) / \(config.configFilePath)"
        guard config.profileExists else {
            if config.profileWasChosen {
                throw .invalidSource(source: source, reason: "AWS_PROFILE names a profile that is in neither file")
            }
            return .notConfigured("shared files: no profile '\(config.profileName)' in \(config.credentialsFilePath) "
                + "or \(config.configFilePath)")
        }
        switch (config.value("aws_access_key_id"), config.value("aws_secret_access_key")) {
        case (let accessKeyId?, let secretAccessKey?):
            // `aws_security_token` is the older spelling some tools still write.
            let sessionToken = config.value("aws_session_token") ?? config.value("aws_security_token")
            return .found(ExpiringAWSCredentials(AWSCredentials(
                accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: sessionToken
            )))
        case (_?, nil):
            throw .invalidSource(source: source, reason: "aws_access_key_id without aws_secret_access_key "
                + "(in \(config.location(of: "aws_access_key_id")))")
        case (nil, _?):
            throw .invalidSource(source: source, reason: "aws_secret_access_key without aws_access_key_id "
                + "(in \(config.location(of: "aws_secret_access_key")))")
        case (nil, nil):
            let unsupportedSettings = [
                "role_arn", "sso_session", "sso_start_url", "credential_process", "web_identity_token_file",
            ]
            for unsupported in unsupportedSettings
            where config.value(unsupported) != nil {
                throw .invalidSource(source: source, reason: "'\(unsupported)' profiles are not supported; "
                    + "give the profile static keys or use environment, container or instance credentials")
            }
            return .notConfigured("shared files: profile '\(config.profileName)' has no aws_access_key_id")
        }
    }
}
