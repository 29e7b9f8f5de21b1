@testable import AWS
import Foundation
import Testing

@Suite("Amazon MSK IAM token source")
struct MSKIAMTokenSourceTests {
    @Test func regionComesFromAnMSKBrokerNameBeforeTheEnvironment() throws {
        let environment = ["AWS_REGION": "us-east-1"]
        #expect(try MSKIAMTokenSource.region(
            brokers: "b-1.orders.abc123.c2.kafka.eu-west-1.amazonaws.com:9098,b-2.orders.abc123.c2.kafka.eu-west-1.amazonaws.com:9098",
            environment: environment) == "eu-west-1")
        #expect(try MSKIAMTokenSource.region(
            brokers: "boot-abcd.c1.kafka-serverless.ap-southeast-2.amazonaws.com:9098", environment: [:]) == "ap-southeast-2")
        #expect(try MSKIAMTokenSource.region(brokers: "kafka.internal:9098", environment: environment) == "us-east-1")
        #expect(try MSKIAMTokenSource.region(
            brokers: "kafka.internal:9098", environment: ["AWS_DEFAULT_REGION": "sa-east-1"]) == "sa-east-1")
        #expect(throws: MSKIAMTokenError.self) { try MSKIAMTokenSource.region(brokers: "kafka.internal:9098", environment: [:]) }
    }

    @Test func aTokenIsSignedWithTheCachedCredentialsAtTheSourcesClock() async throws {
        let credentials = AWSCredentials(accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret", sessionToken: "session")
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let source = MSKIAMTokenSource(
            region: "eu-west-1", credentials: AWSCredentialsCache(provider: FixedCredentials(credentials)),
            userAgent: "ferry/test", now: { now })
        let token = try await source.token()
        let expected = MSKIAMToken(credentials: credentials, region: "eu-west-1", userAgent: "ferry/test", at: now)
        #expect(token.value == expected.value)
        #expect(token.expiresAtMs == expected.expiresAtMs)
        #expect(token.principal == "ASIAEXAMPLE")
    }

    @Test func noCredentialsIsAnErrorNamingTheCauseAndTheFixWithoutSecrets() async throws {
        let source = MSKIAMTokenSource(
            region: "eu-west-1",
            credentials: AWSCredentialsCache(provider: FixedCredentials(nil)), userAgent: "ferry/test")
        let error = await #expect(throws: MSKIAMTokenError.self) { try await source.token() }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("no AWS credentials found; tried:\n  - nothing configured in this test"))
        #expect(text.contains("kafka-cluster:Connect"))
        #expect(text.contains("--kafka-auth aws-msk-iam"))
        #expect(error?.isTransient == false, "no credentials configured does not heal by itself")
    }

    @Test func aCredentialsServiceOutageIsATransientTokenFailure() async throws {
        let source = MSKIAMTokenSource(
            region: "eu-west-1", credentials: AWSCredentialsCache(provider: UnavailableCredentials()), userAgent: "ferry/test")
        let error = await #expect(throws: MSKIAMTokenError.self) { try await source.token() }
        #expect(error?.isTransient == true)
    }
}

/// A credentials service that is down.
private struct UnavailableCredentials: AWSCredentialsProvider {
    func lookUpCredentials() async throws -> AWSCredentialsLookup {
        throw AWSCredentialsError.unavailable(source: "the test's STS", reason: "503 Service Unavailable")
    }
}

/// Credentials given by the test, or none configured.
private struct FixedCredentials: AWSCredentialsProvider {
    var credentials: AWSCredentials?

    init(_ credentials: AWSCredentials?) {
        self.credentials = credentials
    }

    func lookUpCredentials() async throws -> AWSCredentialsLookup {
        guard let credentials else { return .notConfigured("nothing configured in this test") }
        return .found(ExpiringAWSCredentials(credentials, source: "the test"))
    }
}
