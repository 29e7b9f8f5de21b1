import Foundation
import Shared

/// SASL/OAUTHBEARER tokens for Amazon MSK IAM access control, signed with credentials from a cache (which renews
/// temporary ones before they expire, so a token refresh rarely waits for STS or a metadata endpoint).
public struct MSKIAMTokenSource: KafkaOAuthBearerTokenSource {
    public let region: String
    private let credentials: AWSCredentialsCache
    private let userAgent: String
    private let now: @Sendable () -> Date

    public init(
        region: String, credentials: AWSCredentialsCache, userAgent: String,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.region = region
        self.credentials = credentials
        self.userAgent = userAgent
        self.now = now
    }

    public func token() async throws -> KafkaOAuthBearerToken {
        let credentials: AWSCredentials
        do {
            credentials = try await self.credentials.credentials()
        } catch {
            throw MSKIAMTokenError.noCredentials(
                reason: "\(error)", transient: (error as? AWSCredentialsError)?.isTransient ?? false)
        }
        let token = MSKIAMToken(credentials: credentials, region: region, userAgent: userAgent, at: now())
        // The principal is only the client's label for itself; MSK takes the identity from the signature.
        return KafkaOAuthBearerToken(value: token.value, expiresAtMs: token.expiresAtMs, principal: credentials.accessKeyId)
    }

    /// The cluster's region: from an MSK broker name (`b-1.<cluster>.<id>.c2.kafka.<region>.amazonaws.com`, or
    /// `kafka-serverless`), else `AWS_REGION` / `AWS_DEFAULT_REGION` (brokers behind other DNS names).
    public static func region(brokers: String, environment: [String: String]) throws(MSKIAMTokenError) -> String {
        for broker in brokers.split(separator: ",") {
            let host = broker.trimmingCharacters(in: .whitespaces).split(separator: ":").first ?? ""
            let labels = host.lowercased().split(separator: ".")
            if let service = labels.firstIndex(where: { $0 == "kafka" || $0 == "kafka-serverless" }),
               service + 2 < labels.count, labels[service + 2] == "amazonaws" {
                return String(labels[service + 1])
            }
        }
        for name in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
            if let region = environment[name], !region.isEmpty { return region }
        }
        throw .noRegion(brokers: brokers)
    }
}

public enum MSKIAMTokenError: KafkaTokenSourceError, CustomStringConvertible, Sendable {
    /// `transient`: the credentials service is down or throttling, and asking again may succeed.
    case noCredentials(reason: String, transient: Bool)
    case noRegion(brokers: String)

    public var isTransient: Bool {
        if case .noCredentials(_, let transient) = self { transient } else { false }
    }

    public var description: String {
        switch self {
        case .noCredentials(let reason, _):
            "no AWS credentials to sign the Amazon MSK IAM token with (--kafka-auth aws-msk-iam): \(reason). Give "
                + "ferry credentials (an IRSA or Pod Identity role, an ECS task role, an instance profile, AWS_PROFILE "
                + "or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) whose policy allows kafka-cluster:Connect on the "
                + "cluster, and restart"
        case .noRegion(let brokers):
            "cannot tell the Amazon MSK cluster's region from the brokers \(brokers) (--kafka-auth aws-msk-iam): "
                + "set AWS_REGION"
        }
    }
}
