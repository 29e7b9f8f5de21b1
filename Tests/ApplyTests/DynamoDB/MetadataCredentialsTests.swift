@testable import AWS
import Foundation
import Testing

@testable import Apply

// Response bodies as documented by AWS ("IAM roles for tasks" for the container endpoint, "Retrieve security
// credentials from instance metadata" for IMDS). No test contacts 169.254.x.x: the transport is scripted and
// the base URLs point at a name that is never resolved.
@Suite("Credentials: container and instance metadata")
struct MetadataCredentialsTests {
    static let containerBody = """
        {
            "AccessKeyId": "ACCESS_KEY_ID",
            "Expiration": "2017-10-02T15:57:37Z",
            "RoleArn": "TASK_ROLE_ARN",
            "SecretAccessKey": "SECRET_ACCESS_KEY",
            "Token": "SECURITY_TOKEN_STRING"
        }
        """
    static let instanceBody = """
        {
          "Code" : "Success",
          "LastUpdated" : "2012-04-26T16:39:16Z",
          "Type" : "AWS-HMAC",
          "AccessKeyId" : "ASIAIOSFODNN7EXAMPLE",
          "SecretAccessKey" : "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
          "Token" : "token",
          "Expiration" : "2017-05-17T15:09:54.123Z"
        }
        """

    func found(_ lookup: AWSCredentialsLookup) -> ExpiringAWSCredentials? {
        if case .found(let credentials) = lookup { return credentials }
        return nil
    }

    @Test func parsesTheContainerResponse() throws {
        let parsed = try MetadataCredentialsResponse.parse(Array(Self.containerBody.utf8), source: "test")
        #expect(parsed.credentials.accessKeyId == "ACCESS_KEY_ID")
        #expect(parsed.credentials.secretAccessKey == "SECRET_ACCESS_KEY")
        #expect(parsed.credentials.sessionToken == "SECURITY_TOKEN_STRING")
        #expect(parsed.expiration == Date(timeIntervalSince1970: 1_506_959_857))
    }

    @Test func parsesTheInstanceResponseWithFractionalSeconds() throws {
        let parsed = try MetadataCredentialsResponse.parse(Array(Self.instanceBody.utf8), source: "test")
        #expect(parsed.credentials.accessKeyId == "ASIAIOSFODNN7EXAMPLE")
        let expiration = try #require(parsed.expiration)
        #expect(abs(expiration.timeIntervalSince1970 - 1_495_033_794.123) < 0.001)
    }

    @Test func refusesFailedOrIncompleteResponses() {
        #expect(throws: AWSCredentialsError.self) {
            try MetadataCredentialsResponse.parse(Array(#"{"Code":"Failure","Message":"no role"}"#.utf8), source: "t")
        }
        #expect(throws: AWSCredentialsError.self) {
            try MetadataCredentialsResponse.parse(Array(#"{"AccessKeyId":"A"}"#.utf8), source: "t")
        }
        #expect(throws: AWSCredentialsError.self) {
            try MetadataCredentialsResponse.parse(Array("<html>".utf8), source: "t")
        }
    }

    @Test func containerRelativeURIGoesToTheAgentAddress() async throws {
        let transport = ScriptedTransport([.respond(status: 200, body: Self.containerBody)])
        let provider = ContainerCredentialsProvider(
            environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc"],
            transport: transport, relativeBaseURL: "http://ecs-agent.invalid"
        )
        #expect(try await found(provider.lookUpCredentials())?.credentials.accessKeyId == "ACCESS_KEY_ID")
        let request = try #require(await transport.requests.first)
        #expect(request.method == "GET")
        #expect(request.url == "http://ecs-agent.invalid/v2/credentials/abc")
        #expect(request.header("Authorization") == nil)
    }

    @Test func containerFullURISendsTheAuthorizationToken() async throws {
        let transport = ScriptedTransport([.respond(status: 200, body: Self.containerBody)])
        let provider = ContainerCredentialsProvider(
            environment: [
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:8080/creds",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN": "Basic abc",
            ],
            transport: transport
        )
        _ = try await provider.lookUpCredentials()
        let request = try #require(await transport.requests.first)
        #expect(request.url == "http://127.0.0.1:8080/creds")
        #expect(request.header("Authorization") == "Basic abc")
    }

    @Test func containerFullURIMustNotSendTheTokenToArbitraryPlainHTTPHosts() async throws {
        let provider = ContainerCredentialsProvider(
            environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://attacker.example/creds"],
            transport: ScriptedTransport([])
        )
        await #expect(throws: AWSCredentialsError.self) { try await provider.lookUpCredentials() }
    }

    @Test func instanceMetadataUsesAnIMDSv2Session() async throws {
        let transport = ScriptedTransport([
            .respond(status: 200, body: "session-token"),
            .respond(status: 200, body: "ferry-role\n"),
            .respond(status: 200, body: Self.instanceBody),
        ])
        let provider = InstanceMetadataCredentialsProvider(
            environment: [:], transport: transport, baseURL: "http://imds.invalid")
        #expect(try await found(provider.lookUpCredentials())?.credentials.sessionToken == "token")

        let requests = await transport.requests
        #expect(requests.map(\.method) == ["PUT", "GET", "GET"])
        #expect(requests.map(\.url) == [
            "http://imds.invalid/latest/api/token",
            "http://imds.invalid/latest/meta-data/iam/security-credentials/",
            "http://imds.invalid/latest/meta-data/iam/security-credentials/ferry-role",
        ])
        #expect(requests[0].header("X-aws-ec2-metadata-token-ttl-seconds") == "21600")
        #expect(requests[1].header("X-aws-ec2-metadata-token") == "session-token")
        #expect(requests[2].header("X-aws-ec2-metadata-token") == "session-token")
    }

    @Test func anUnreachableMetadataServiceMeansNotOnEC2() async throws {
        let provider = InstanceMetadataCredentialsProvider(
            environment: [:], transport: ScriptedTransport([.fail(.timedOut)]), baseURL: "http://imds.invalid")
        guard case .notConfigured(let reason) = try await provider.lookUpCredentials() else {
            Issue.record("expected notConfigured")
            return
        }
        #expect(reason.contains("not reachable"))
    }

    @Test func anInstanceWithoutRoleIsNotConfigured() async throws {
        let transport = ScriptedTransport([.respond(status: 200, body: "t"), .respond(status: 404, body: "")])
        let provider = InstanceMetadataCredentialsProvider(environment: [:], transport: transport, baseURL: "http://imds.invalid")
        guard case .notConfigured(let reason) = try await provider.lookUpCredentials() else {
            Issue.record("expected notConfigured")
            return
        }
        #expect(reason.contains("no IAM role"))
    }

    @Test func theEndpointVariableOverridesTheInstanceMetadataAddress() async throws {
        let transport = ScriptedTransport([.fail(.connectionFailed)])
        let provider = InstanceMetadataCredentialsProvider(
            environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://imds-override.invalid/"], transport: transport)
        _ = try await provider.lookUpCredentials()
        #expect(await transport.requests.first?.url == "http://imds-override.invalid/latest/api/token")
    }
}

@Suite("Credentials cache")
struct AWSCredentialsCacheTests {
    /// Counts lookups and hands out credentials expiring at `expiration`: new ones at every lookup (`AKID1`,
    /// `AKID2`…), or, not `renewing`, the same ones each time (environment variables, an unchanged file).
    actor CountingProvider: AWSCredentialsProvider {
        private(set) var lookups = 0
        let expiration: Date?
        let renewing: Bool

        init(expiration: Date?, renewing: Bool = true) {
            self.expiration = expiration
            self.renewing = renewing
        }

        func lookUpCredentials() -> AWSCredentialsLookup {
            lookups += 1
            return .found(ExpiringAWSCredentials(
                AWSCredentials(accessKeyId: renewing ? "AKID\(lookups)" : "AKIDFIXED", secretAccessKey: "s"),
                expiration: expiration, source: "environment (AWS_ACCESS_KEY_ID)"))
        }
    }

    final class Clock: @unchecked Sendable {
        let lock = NSLock()
        var date = Date(timeIntervalSince1970: 1_000_000)
        func now() -> Date { lock.withLock { date } }
        func advance(_ seconds: TimeInterval) { lock.withLock { date.addTimeInterval(seconds) } }
    }

    /// Hands out credentials that expire an hour after each lookup; lookups wait while the gate is closed.
    actor GatedProvider: AWSCredentialsProvider {
        private(set) var lookups = 0
        private var closed = false
        private var waiting: [CheckedContinuation<Void, Never>] = []
        var failing = false
        let clock: Clock

        init(clock: Clock) {
            self.clock = clock
        }

        func close() { closed = true }

        var isClosed: Bool { closed }

        func open() {
            closed = false
            waiting.forEach { $0.resume() }
            waiting = []
        }

        func fail(_ failing: Bool) { self.failing = failing }

        func lookUpCredentials() async throws -> AWSCredentialsLookup {
            lookups += 1
            let number = lookups
            if closed { await withCheckedContinuation { waiting.append($0) } }
            if failing { throw AWSCredentialsError.invalidSource(source: "gated", reason: "refused") }
            return .found(ExpiringAWSCredentials(
                AWSCredentials(accessKeyId: "AKID\(number)", secretAccessKey: "s"),
                expiration: clock.now().addingTimeInterval(3600)))
        }
    }

    @Test func temporaryCredentialsAreReusedUntilShortlyBeforeExpiry() async throws {
        let clock = Clock()
        let provider = GatedProvider(clock: clock)
        let cache = AWSCredentialsCache(provider: provider, refreshMargin: 300, now: { clock.now() })
        #expect(try await cache.credentials().accessKeyId == "AKID1")
        clock.advance(3000)
        #expect(try await cache.credentials().accessKeyId == "AKID1")
        #expect(await provider.lookups == 1)
        // Within the margin: the current credentials still serve while one refresh runs in the background.
        clock.advance(301)
        #expect(try await cache.credentials().accessKeyId == "AKID1")
        // Past the first expiration only the refreshed credentials are handed out (awaited if still running).
        clock.advance(300)
        #expect(try await cache.credentials().accessKeyId == "AKID2")
        #expect(await provider.lookups == 2)
    }

    @Test(.timeLimit(.minutes(3))) func concurrentCallersNeitherStallNorMultiplyTheRefresh() async throws {
        let clock = Clock()
        let provider = GatedProvider(clock: clock)
        let cache = AWSCredentialsCache(provider: provider, refreshMargin: 300, now: { clock.now() })
        #expect(try await cache.credentials().accessKeyId == "AKID1")
        await provider.close()
        clock.advance(3400)
        // The refresh is held at the gate, yet every caller gets the still-valid credentials: the gate opens only
        // once all twenty have answered. (A cache that stalled them would hold them at the gate until the test's
        // time limit fails it; no timed valve, so a slow machine cannot make a correct cache fail.)
        let duringRefresh = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 {
                group.addTask { try await cache.credentials().accessKeyId }
            }
            var answers: [String] = []
            for try await answer in group { answers.append(answer) }
            return answers
        }
        await provider.open()
        #expect(duringRefresh.count == 20)
        #expect(duringRefresh.allSatisfy { $0 == "AKID1" })
        // Once they have expired, callers wait — all on the one refresh already in flight.
        clock.advance(300)
        let afterExpiry = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await cache.credentials().accessKeyId } }
            group.addTask {
                await provider.open()
                return "opened"
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(afterExpiry == ["AKID2", "opened"])
        #expect(await provider.lookups == 2)
    }

    @Test func aFailedRefreshKeepsTheCurrentCredentialsUntilTheyExpire() async throws {
        let clock = Clock()
        let provider = GatedProvider(clock: clock)
        let cache = AWSCredentialsCache(
            provider: provider, refreshMargin: 300, retryInterval: 10, now: { clock.now() })
        #expect(try await cache.credentials().accessKeyId == "AKID1")
        await provider.fail(true)
        clock.advance(3400)
        #expect(try await cache.credentials().accessKeyId == "AKID1")
        clock.advance(150)
        #expect(try await cache.credentials().accessKeyId == "AKID1")
        clock.advance(100)
        await #expect(throws: AWSCredentialsError.invalidSource(source: "gated", reason: "refused")) {
            try await cache.credentials()
        }
        await provider.fail(false)
        #expect(try await cache.credentials().accessKeyId != "AKID1")
    }

    @Test func longTermCredentialsAreLookedUpOnce() async throws {
        let provider = CountingProvider(expiration: nil)
        let cache = AWSCredentialsCache(provider: provider)
        for _ in 0..<5 { _ = try await cache.credentials() }
        #expect(await provider.lookups == 1)
    }

    @Test func credentialsRefusedAsExpiredAreLookedUpAgainAtOnce() async throws {
        // A source that gives other credentials (a rewritten file, a new role session): renewed, and in use.
        let changing = CountingProvider(expiration: nil)
        let cache = AWSCredentialsCache(provider: changing)
        let rejected = try await cache.credentials()
        #expect(try await cache.renew(afterExpiryOf: rejected) == .renewed)
        #expect(try await cache.credentials().accessKeyId == "AKID2")
        // Credentials other than the current ones were refused (another caller renewed already): no lookup.
        #expect(try await cache.renew(afterExpiryOf: rejected) == .renewed)
        #expect(await changing.lookups == 2)
    }

    @Test func theSameCredentialsAgainRenewOnlyIfTheyExpire() async throws {
        let staticSource = CountingProvider(expiration: nil, renewing: false)
        let staticCache = AWSCredentialsCache(provider: staticSource)
        let rejected = try await staticCache.credentials()
        #expect(try await staticCache.renew(afterExpiryOf: rejected) == .never(source: "environment (AWS_ACCESS_KEY_ID)"))
        #expect(await staticSource.lookups == 2)

        let temporary = AWSCredentialsCache(provider: CountingProvider(expiration: Date().addingTimeInterval(3600), renewing: false))
        let refused = try await temporary.credentials()
        #expect(try await temporary.renew(afterExpiryOf: refused) == .atExpiration)
    }
}
