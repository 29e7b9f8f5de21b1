/// The active profile of the shared credentials and config files (see `AWSSharedConfig`), in any of the forms the
/// AWS SDKs accept (see `ProfileCredentialSource`): static keys, an assumed role (chained through
/// `source_profile` or from a `credential_source`), web identity, IAM Identity Center, or `credential_process`.
public struct SharedFileCredentialsProvider: AWSCredentialsProvider {
    private let environment: [String: String]
    private let transport: any AWSHTTPTransport
    private let region: String?

    /// `region` is where STS is called; nil means the environment's or the profile's region.
    public init(environment: [String: String], transport: any AWSHTTPTransport, region: String? = nil) {
        self.environment = environment
        self.transport = transport
        self.region = region
    }

    public func lookUpCredentials() async throws -> AWSCredentialsLookup {
        let config = try AWSSharedConfig(environment: environment)
        guard config.profileExists else {
            if config.profileWasChosen {
                throw AWSCredentialsError.invalidSource(
                    source: "profile '\(config.profileName)' of \(config.credentialsFilePath) / "
                        + config.configFilePath,
                    reason: "AWS_PROFILE names a profile that is in neither file")
            }
            return .notConfigured("shared files: no profile '\(config.profileName)' in \(config.credentialsFilePath) "
                + "or \(config.configFilePath)")
        }
        guard let source = try ProfileCredentialSource.resolve(
            profile: config.profileName, in: config, defaultSessionName: defaultRoleSessionName())
        else {
            return .notConfigured("shared files: profile '\(config.profileName)' has no credential settings")
        }
        let sts = try STSClient.standard(
            environment: environment, region: region ?? config.value("region"), transport: transport)
        return .found(try await credentials(from: source, sts: sts))
    }

    private func credentials(
        from source: ProfileCredentialSource, sts: STSClient
    ) async throws -> ExpiringAWSCredentials {
        switch source {
        case .staticKeys(let profile, let accessKeyId, let secretAccessKey, let sessionToken):
            return ExpiringAWSCredentials(
                AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: sessionToken),
                source: "profile '\(profile)' (static keys)")
        case .assumeRole(let profile, let role, let roleSource):
            let sourceCredentials = try await self.credentials(from: roleSource, profile: profile, sts: sts)
            var assumed = try await sts.assumeRole(role, with: sourceCredentials.credentials)
            assumed.source = "profile '\(profile)': \(assumed.source) with credentials of \(sourceCredentials.source)"
            return assumed
        case .webIdentity(let profile, let role, let tokenFile):
            let lookup = try await WebIdentityCredentialsProvider(role: role, tokenFile: tokenFile, sts: sts)
                .lookUpCredentials()
            return try Self.found(lookup, "profile '\(profile)'")
        case .sso(let profile, let settings):
            let provider = SSOCredentialsProvider(
                profile: profile, settings: settings, environment: environment, transport: transport)
            return try Self.found(try await provider.lookUpCredentials(), "profile '\(profile)'")
        case .process(let profile, let command):
            let lookup = try await ProcessCredentialsProvider(profile: profile, command: command).lookUpCredentials()
            return try Self.found(lookup, "profile '\(profile)'")
        }
    }

    private func credentials(
        from source: ProfileCredentialSource.AssumeRoleSource, profile: String, sts: STSClient
    ) async throws -> ExpiringAWSCredentials {
        let provider: any AWSCredentialsProvider
        switch source {
        case .profile(let sourceProfile): return try await credentials(from: sourceProfile, sts: sts)
        case .environment: provider = EnvironmentCredentialsProvider(environment: environment)
        case .ec2InstanceMetadata:
            provider = InstanceMetadataCredentialsProvider(environment: environment, transport: transport)
        case .ecsContainer: provider = ContainerCredentialsProvider(environment: environment, transport: transport)
        }
        return try Self.found(try await provider.lookUpCredentials(), "credential_source of profile '\(profile)'")
    }

    /// A source a profile names explicitly must deliver: "not configured" there is a broken profile.
    private static func found(_ lookup: AWSCredentialsLookup, _ source: String) throws -> ExpiringAWSCredentials {
        switch lookup {
        case .found(let credentials): return credentials
        case .notConfigured(let reason): throw AWSCredentialsError.invalidSource(source: source, reason: reason)
        }
    }
}
