import AWS
import ArgumentParser
import Foundation
import Shared

/// How Kafka clients authenticate beyond what `-X` properties say.
enum KafkaAuthentication: String, ExpressibleByArgument, CaseIterable {
    /// Only the librdkafka properties (`-X`, the properties file).
    case none
    /// Amazon MSK IAM access control: SASL_SSL with OAUTHBEARER tokens signed with the AWS credentials chain.
    case awsMskIam = "aws-msk-iam"

    /// Sets up `kafka` for this authentication; the properties it sets are defaults that `-X` may still override.
    func configure(_ kafka: inout KafkaConfiguration, brokers: String, environment: [String: String]) throws {
        switch self {
        case .none:
            return
        case .awsMskIam:
            kafka["security.protocol"] = "SASL_SSL"
            kafka["sasl.mechanism"] = "OAUTHBEARER"
            let region = try MSKIAMTokenSource.region(brokers: brokers, environment: environment)
            let provider = AWSCredentialsChain.standard(environment: environment, transport: awsCredentialsTransport)
            kafka.oauthBearerTokenSource = MSKIAMTokenSource(
                region: region, credentials: AWSCredentialsCache(provider: provider),
                userAgent: "ferry/\(FerryVersion.current)")
        }
    }
}

/// The HTTP client the credential providers of the Kafka token source use (STS, the container and instance
/// metadata endpoints). Global, so it lives as long as the process and is never shut down under a refresh.
private let awsCredentialsTransport = AsyncHTTPClientTransport(configuration: .init(maximumConnectionsPerHost: 2))
