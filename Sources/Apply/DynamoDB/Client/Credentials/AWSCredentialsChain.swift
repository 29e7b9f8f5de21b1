/// Tries providers in order and takes the first that is configured, like the AWS SDKs' default chain.
/// A provider that is configured but broken stops the chain with its error: falling through to other credentials
/// would hide the misconfiguration and act as an identity nobody chose.
public struct AWSCredentialsChain: AWSCredentialsProvider {
    public let providers: [any AWSCredentialsProvider]

    public init(_ providers: [any AWSCredentialsProvider]) {
        self.providers = providers
    }

    /// Environment, then the shared files, then the container endpoint, then EC2 instance metadata.
    public static func standard(environment: [String: String], transport: any AWSHTTPTransport) -> AWSCredentialsChain {
        AWSCredentialsChain([
            EnvironmentCredentialsProvider(environment: environment),
            SharedFileCredentialsProvider(environment: environment),
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
