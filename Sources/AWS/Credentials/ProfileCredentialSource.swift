/// How a profile of the shared files obtains credentials, resolved the way the AWS SDKs do, before anything is
/// called. Within one profile the first that applies wins: `role_arn` (with `web_identity_token_file`,
/// `source_profile` or `credential_source`), then IAM Identity Center (`sso_session` or `sso_start_url`),
/// then static keys, then `credential_process`. Pure: `resolve` reads only the parsed files.
indirect enum ProfileCredentialSource: Sendable, Hashable {
    case staticKeys(profile: String, accessKeyId: String, secretAccessKey: String, sessionToken: String?)
    case assumeRole(profile: String, role: STSClient.RoleRequest, source: AssumeRoleSource)
    case webIdentity(profile: String, role: STSClient.RoleRequest, tokenFile: String)
    case sso(profile: String, SSOSettings)
    case process(profile: String, command: String)

    /// Where an assume-role profile gets the credentials that call `AssumeRole`.
    enum AssumeRoleSource: Sendable, Hashable {
        case profile(ProfileCredentialSource)
        /// `credential_source = Environment`, `Ec2InstanceMetadata` or `EcsContainer`.
        case environment
        case ec2InstanceMetadata
        case ecsContainer
    }

    struct SSOSettings: Sendable, Hashable {
        var startURL: String
        var region: String
        var accountId: String
        var roleName: String
        /// The `sso_session` name when the profile uses one; the token cache is keyed by it, else by the start URL.
        var sessionName: String?
    }

    typealias Invalid = (profile: String, reason: String)

    /// The source of profile `name`; nil when the profile has no credential settings at all.
    static func resolve(
        profile name: String, in config: AWSSharedConfig, defaultSessionName: String
    ) throws(AWSCredentialsError) -> ProfileCredentialSource? {
        try resolve(profile: name, in: config, defaultSessionName: defaultSessionName, visited: [])
    }

    private static func resolve(
        profile name: String, in config: AWSSharedConfig, defaultSessionName: String, visited: [String]
    ) throws(AWSCredentialsError) -> ProfileCredentialSource? {
        func invalid(_ reason: String) -> AWSCredentialsError {
            .invalidSource(source: "profile '\(name)' of \(config.configFilePath) / \(config.credentialsFilePath)",
                           reason: reason)
        }
        guard let settings = config.profile(named: name) else {
            throw invalid(visited.isEmpty ? "the profile is in neither file"
                : "source_profile of '\(visited.last ?? "")' names a profile that is in neither file")
        }
        let staticKeys = try staticKeys(settings, profile: name, invalid: invalid)

        if let roleArn = settings["role_arn"] {
            var durationSeconds: Int?
            if let text = settings["duration_seconds"] {
                guard let seconds = Int(text), seconds >= 900 else {
                    throw invalid("duration_seconds '\(text)' is not a whole number of at least 900")
                }
                durationSeconds = seconds
            }
            let role = STSClient.RoleRequest(
                roleArn: roleArn, sessionName: settings["role_session_name"] ?? defaultSessionName,
                externalId: settings["external_id"], durationSeconds: durationSeconds)
            if let tokenFile = settings["web_identity_token_file"] {
                return .webIdentity(profile: name, role: role, tokenFile: tokenFile)
            }
            switch (settings["source_profile"], settings["credential_source"]) {
            case (let sourceProfile?, nil):
                // A profile naming itself as its source uses its own static keys (an SDK convention).
                if sourceProfile == name, let staticKeys {
                    return .assumeRole(profile: name, role: role, source: .profile(staticKeys))
                }
                let chain = visited + [name]
                guard !chain.contains(sourceProfile) else {
                    let cycle = (chain + [sourceProfile]).joined(separator: " → ")
                    throw invalid("source_profile forms a cycle: \(cycle)")
                }
                guard let source = try resolve(
                    profile: sourceProfile, in: config, defaultSessionName: defaultSessionName, visited: chain)
                else {
                    throw invalid("source_profile '\(sourceProfile)' has no credentials")
                }
                return .assumeRole(profile: name, role: role, source: .profile(source))
            case (nil, let credentialSource?):
                switch credentialSource.lowercased() {
                case "environment": return .assumeRole(profile: name, role: role, source: .environment)
                case "ec2instancemetadata": return .assumeRole(profile: name, role: role, source: .ec2InstanceMetadata)
                case "ecscontainer": return .assumeRole(profile: name, role: role, source: .ecsContainer)
                default:
                    throw invalid("credential_source '\(credentialSource)' is not Environment, Ec2InstanceMetadata "
                        + "or EcsContainer")
                }
            case (_?, _?):
                throw invalid("role_arn with both source_profile and credential_source; keep one")
            case (nil, nil):
                throw invalid("role_arn needs source_profile, credential_source or web_identity_token_file")
            }
        }
        if let sso = try ssoSettings(settings, in: config, invalid: invalid) {
            return .sso(profile: name, sso)
        }
        if let staticKeys { return staticKeys }
        if let command = settings["credential_process"] {
            return .process(profile: name, command: command)
        }
        return nil
    }

    private static func staticKeys(
        _ settings: [String: String], profile: String, invalid: (String) -> AWSCredentialsError
    ) throws(AWSCredentialsError) -> ProfileCredentialSource? {
        switch (settings["aws_access_key_id"], settings["aws_secret_access_key"]) {
        case (let accessKeyId?, let secretAccessKey?):
            // `aws_security_token` is the older spelling some tools still write.
            return .staticKeys(profile: profile, accessKeyId: accessKeyId, secretAccessKey: secretAccessKey,
                               sessionToken: settings["aws_session_token"] ?? settings["aws_security_token"])
        case (_?, nil): throw invalid("aws_access_key_id without aws_secret_access_key")
        case (nil, _?): throw invalid("aws_secret_access_key without aws_access_key_id")
        case (nil, nil): return nil
        }
    }

    private static func ssoSettings(
        _ settings: [String: String], in config: AWSSharedConfig, invalid: (String) -> AWSCredentialsError
    ) throws(AWSCredentialsError) -> SSOSettings? {
        let startURL: String?
        let region: String?
        let sessionName = settings["sso_session"]
        if let sessionName {
            guard let session = config.ssoSession(named: sessionName) else {
                throw invalid("sso_session '\(sessionName)' has no [sso-session \(sessionName)] section")
            }
            startURL = session["sso_start_url"]
            region = session["sso_region"]
        } else if let legacyStartURL = settings["sso_start_url"] {
            startURL = legacyStartURL
            region = settings["sso_region"]
        } else {
            return nil
        }
        let missing = [("sso_start_url", startURL), ("sso_region", region),
                       ("sso_account_id", settings["sso_account_id"]), ("sso_role_name", settings["sso_role_name"])]
            .filter { $0.1?.isEmpty != false }.map(\.0)
        guard missing.isEmpty, let startURL, let region, let accountId = settings["sso_account_id"],
              let roleName = settings["sso_role_name"]
        else {
            throw invalid("an IAM Identity Center profile needs \(missing.joined(separator: ", "))")
        }
        return SSOSettings(startURL: startURL, region: region, accountId: accountId, roleName: roleName,
                           sessionName: sessionName)
    }
}
