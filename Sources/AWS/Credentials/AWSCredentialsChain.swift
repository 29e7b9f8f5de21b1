/// Tries providers in order and takes the first that is configured, like the AWS SDKs' default chain.
/// A provider that is configured but broken stops the chain with its error: falling through to other credentials
/// would hide the misconfiguration and act as an identity nobody chose.
public struct AWSCredentialsChain: AWSCredentialsProvider {
    public let providers: [any AWSCredentialsProvider]

    public init(_ providers: [any AWSCredentialsProvider]) {
        self.providers = providers
    }

    /// The AWS SDKs' order: environment keys, web identity from the environment (EKS IRSA), the shared files'
    /// profile, the container endpoint (ECS, EKS Pod Identity), EC2 instance metadata. `region` is where STS is
    /// called for roles; nil means the environment's or the profile's region.
    public static func standard(
        environment: [String: String], transport: any AWSHTTPTransport, region: String? = nil
    ) -> AWSCredentialsChain {
        AWSCredentialsChain([
            EnvironmentCredentialsProvider(environment: environment),
            EnvironmentWebIdentityCredentialsProvider(environment: environment) { () throws(AWSCredentialsError) in
                try STSClient.standard(environment: environment, region: region, transport: transport)
            },
            SharedFileCredentialsProvider(environment: environment, transport: transport, region: region),
            ContainerCredentialsProvider(environment: environment, transport: transport),
            InstanceMetadataCredentialsProvider(environment: environment, transport: transport),
        ])
    }

    public func lookUpCredentials() async throws -> AWSCredentialsLookup {
        var tried: [String] = []
        for provider in providers {
            switch try await provider.lookUpCredentials() {
            case .found(let credentials):
                return .found(credentials)
            case .notConfigured(let reason):
                tried.append(reason)
            }
        }
        // An exhausted chain is the end of the search, so it is an error that lists every source tried.
        throw AWSCredentialsError.notFound(tried: tried)
    }
}
