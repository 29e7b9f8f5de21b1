@testable import AWS
import Foundation
import Testing

@testable import Apply

@Suite("Credentials: the chain's order and its error-not-fall-through rule")
struct CredentialChainOrderTests {
    static let profileWithKeys = """
        [default]
        aws_access_key_id = AKIDPROFILE
        aws_secret_access_key = profile-secret
        """

    /// A HOME with a default profile of static keys, a web identity token file, and no instance metadata.
    func withSetup(_ body: ([String: String], URL) async throws -> Void) async throws {
        try await withTemporaryDirectory { directory in
            try FileManager.default.createDirectory(
                at: directory.appendingPathComponent(".aws"), withIntermediateDirectories: true)
            try write(Self.profileWithKeys, to: directory.appendingPathComponent(".aws/credentials"))
            let tokenFile = directory.appendingPathComponent("token")
            try write("irsa-token\n", to: tokenFile)
            try await body([
                "HOME": directory.path, "AWS_EC2_METADATA_DISABLED": "true", "AWS_REGION": "eu-west-1",
                "AWS_ENDPOINT_URL_STS": "http://sts.test:4566",
            ], tokenFile)
        }
    }

    func lookUp(_ environment: [String: String], _ transport: ScriptedTransport) async throws -> AWSCredentialsLookup {
        try await AWSCredentialsChain.standard(environment: environment, transport: transport).lookUpCredentials()
    }

    func credentials(_ lookup: AWSCredentialsLookup) -> ExpiringAWSCredentials? {
        if case .found(let found) = lookup { return found }
        return nil
    }

    @Test func webIdentityFromTheEnvironmentComesBeforeTheProfileAndIsUnsigned() async throws {
        try await withSetup { environment, tokenFile in
            var environment = environment
            environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = tokenFile.path
            environment["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/irsa"
            environment["AWS_ROLE_SESSION_NAME"] = "ferry-pod"
            let transport = ScriptedTransport([.respond(status: 200, body: CredentialDecodingTests.assumeRoleAnswer)])
            let found = credentials(try await lookUp(environment, transport))
            #expect(found?.credentials.accessKeyId == "ASIAEXAMPLE")
            #expect(found?.source.contains("web identity") == true)
            let request = try #require(await transport.requests.first)
            #expect(request.url == "http://sts.test:4566/")
            #expect(request.header("Authorization") == nil)
            let form = String(decoding: request.body, as: UTF8.self)
            #expect(form.contains("Action=AssumeRoleWithWebIdentity"))
            #expect(form.contains("RoleSessionName=ferry-pod"))
            #expect(form.contains("WebIdentityToken=irsa-token&") || form.hasSuffix("WebIdentityToken=irsa-token"))
        }
    }

    @Test(arguments: [
        ["AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/irsa"],
        ["AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/irsa", "AWS_WEB_IDENTITY_TOKEN_FILE": "/nonexistent/token"],
    ])
    func brokenWebIdentityIsAnErrorNotTheProfilesKeys(settings: [String: String]) async throws {
        try await withSetup { environment, _ in
            let environment = environment.merging(settings) { $1 }
            let transport = ScriptedTransport([])
            await #expect(throws: AWSCredentialsError.self) {
                try await lookUp(environment, transport)
            }
            #expect(await transport.requests.isEmpty)
        }
    }

    @Test func anAssumeRoleProfileSignsAssumeRoleWithItsSourceProfilesKeys() async throws {
        try await withSetup { environment, _ in
            let home = try #require(environment["HOME"])
            try write("""
                [profile app]
                role_arn = arn:aws:iam::123456789012:role/app
                source_profile = default
                external_id = ext-1
                """, to: URL(fileURLWithPath: home).appendingPathComponent(".aws/config"))
            var environment = environment
            environment["AWS_PROFILE"] = "app"
            let transport = ScriptedTransport([.respond(status: 200, body: CredentialDecodingTests.assumeRoleAnswer)])
            let found = credentials(try await lookUp(environment, transport))
            #expect(found?.credentials.sessionToken == "tok/en+")
            let request = try #require(await transport.requests.first)
            #expect(request.header("Authorization")?.contains("Credential=AKIDPROFILE/") == true)
            #expect(request.header("Authorization")?.contains("/eu-west-1/sts/aws4_request") == true)
            let form = String(decoding: request.body, as: UTF8.self)
            #expect(form.contains("Action=AssumeRole&"))
            #expect(form.contains("ExternalId=ext-1"))
        }
    }

    @Test func anSTSRefusalIsAnErrorWithSTSsReasonAndNoSecret() async throws {
        try await withSetup { environment, tokenFile in
            var environment = environment
            environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = tokenFile.path
            environment["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/irsa"
            let refusal = "<ErrorResponse><Error><Code>InvalidIdentityToken</Code>"
                + "<Message>Token expired</Message></Error></ErrorResponse>"
            let transport = ScriptedTransport([.respond(status: 400, body: refusal)])
            let error = try await #require(throws: AWSCredentialsError.self) {
                try await lookUp(environment, transport)
            }
            #expect(error.description.contains("InvalidIdentityToken: Token expired"))
            #expect(error.description.contains("arn:aws:iam::123456789012:role/irsa"))
            #expect(!error.description.contains("irsa-token"))
        }
    }

    @Test func thePodIdentityTokenFileWinsAndIsReadAtEveryLookup() async throws {
        try await withTemporaryDirectory { directory in
            let tokenFile = directory.appendingPathComponent("eks-pod-identity-token")
            try write("first-token\n", to: tokenFile)
            let body = #"{"AccessKeyId": "ASIAPOD", "SecretAccessKey": "pod-secret", "Token": "t", "#
                + #""Expiration": "2026-12-07T03:00:00Z"}"#
            let transport = ScriptedTransport([], fallback: .respond(status: 200, body: body))
            let provider = ContainerCredentialsProvider(environment: [
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile.path,
                "AWS_CONTAINER_AUTHORIZATION_TOKEN": "variable-token",
            ], transport: transport)
            _ = try await provider.lookUpCredentials()
            try write("rotated-token", to: tokenFile)
            _ = try await provider.lookUpCredentials()
            #expect(await transport.requests.map { $0.header("Authorization") } == ["first-token", "rotated-token"])
        }
    }

    @Test(arguments: [
        ("http://[fd00:ec2::23]/v1/credentials", true), ("http://169.254.170.23/v1/credentials", true),
        ("http://127.0.0.2:1234/creds", true), ("http://[::1]:80/creds", true), ("https://creds.example.com/", true),
        ("http://creds.example.com/", false), ("http://169.254.169.254/", false),
    ])
    func theFullURIMustBeTLSOrAContainerAddress(uri: String, allowed: Bool) {
        #expect(((try? ContainerCredentialsProvider.checkFullURIHost(uri)) != nil) == allowed, "\(uri)")
    }
}
