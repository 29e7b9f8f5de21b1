import Apply
import Foundation
import Shared
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Apply's credentials come from a role it assumes at STS (the stack's moto) through scripts/fault-proxy.py: an STS
/// outage at start (dropped connections, 503s) is retried until it heals, counted as
/// `ferry_dynamodb_retries_total{reason="credentials_unavailable"}`; a denied role stops apply with one message; a
/// session token refused as expired before its time is renewed at once.
@Suite("Apply and STS outages, against the local stack")
struct ApplyCredentialOutageTests {
    /// The environment that makes apply assume `role` with the profile's keys, STS at `port`.
    func roleEnvironment(directory: URL, stsPort: Int) throws -> [String: String] {
        let config = directory.appendingPathComponent("aws-config")
        try """
            [profile ferry-apply]
            role_arn = arn:aws:iam::123456789012:role/ferry-apply
            source_profile = base
            [profile base]
            aws_access_key_id = testing
            aws_secret_access_key = testing
            """.write(to: config, atomically: true, encoding: .utf8)
        return [
            "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "",
            "AWS_CONFIG_FILE": config.path, "AWS_SHARED_CREDENTIALS_FILE": directory.appendingPathComponent("none").path,
            "AWS_PROFILE": "ferry-apply", "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:\(stsPort)",
            "AWS_EC2_METADATA_DISABLED": "true",
        ]
    }

    /// The orders pipeline over `rows`, apply assuming its role through a fault proxy started with `proxyArguments`;
    /// `body` gets the pipeline and the proxy, which it stops.
    func withRolePipeline(
        _ name: String, rows: String, proxyArguments: [String], dynamoDBThroughProxy: Bool = false,
        _ body: (OrdersPipeline, FaultProxy) async throws -> Void
    ) async throws {
        try await TestStack.withDatabase(name) { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query("CREATE TABLE orders (id int PRIMARY KEY, name text); INSERT INTO orders VALUES \(rows)")
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(TestStack.uniqueName(name))
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let proxy = try await FaultProxy.start(
                slowSeconds: 0.1, logPath: directory.appendingPathComponent("proxy.log").path, arguments: proxyArguments)
            var environment = try roleEnvironment(directory: directory, stsPort: proxy.port)
            if dynamoDBThroughProxy { environment["AWS_ENDPOINT_URL_DYNAMODB"] = "http://127.0.0.1:\(proxy.port)" }
            let pipeline = try await OrdersPipeline.start(source: url, name: name, applyEnvironment: environment)
            defer { Task { await pipeline.dropTarget() } }
            try await body(pipeline, proxy)
            proxy.process.signal(SIGTERM)
            _ = try await proxy.process.wait()
        }
    }

    @Test func anSTSOutageAtStartIsRetriedUntilItHeals() async throws {
        try await withRolePipeline("stsoutage", rows: "(1, 'a'), (2, 'b')", proxyArguments: ["--sts-faults", "4"]) {
            pipeline, proxy in
            let items = try await pipeline.items { $0.count == 2 }
            #expect(Set(items.compactMap { ApplyTestTopic.id(of: $0) }) == [1, 2], "\(pipeline.output)")
            let faults = try await HTTPTestConnection.send(.GET, "/__faults", port: proxy.port).body
            #expect(faults.contains("\"sts_drop\": 2") && faults.contains("\"sts_unavailable\": 2"), "\(faults)")
            let metrics = try await HTTPTestConnection.send(.GET, "/metrics", port: pipeline.applyPort).body
            let retries = metrics.split(separator: "\n").filter {
                $0.hasPrefix("ferry_dynamodb_retries_total{") && $0.contains("reason=\"credentials_unavailable\"")
            }
            #expect(retries.compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +) >= 4,
                    "\(metrics)")

            pipeline.apply.signal(SIGTERM)
            pipeline.capture.signal(SIGTERM)
            #expect(try await pipeline.apply.wait() == 0, "\(pipeline.apply.output.suffix(2000))")
            #expect(try await pipeline.capture.wait() == 0)
        }
    }

    /// The role's first session token expires early (the fault proxy answers ExpiredTokenException to every
    /// DynamoDB call signed with it, as after a revoked session or a clock ahead of STS's): apply assumes the role
    /// again at once instead of waiting for the expiration STS stated, and every row arrives.
    @Test func aSessionTokenExpiredEarlyIsRenewedAtOnce() async throws {
        try await withRolePipeline(
            "stsexpired", rows: "(1, 'a'), (2, 'b')", proxyArguments: ["--expire-first-token"], dynamoDBThroughProxy: true
        ) { pipeline, proxy in
            let items = try await pipeline.items { $0.count == 2 }
            #expect(Set(items.compactMap { ApplyTestTopic.id(of: $0) }) == [1, 2], "\(pipeline.output)")
            let faults = try await HTTPTestConnection.send(.GET, "/__faults", port: proxy.port).body
            let expired = try #require(faults.firstMatch(of: /"expired_token": (\d+)/).flatMap { Int($0.output.1) }, "\(faults)")
            let assumed = try #require(faults.firstMatch(of: /"sts_forward": (\d+)/).flatMap { Int($0.output.1) }, "\(faults)")
            #expect(expired >= 1 && assumed >= 2, "\(faults)")

            pipeline.apply.signal(SIGTERM)
            pipeline.capture.signal(SIGTERM)
            #expect(try await pipeline.apply.wait() == 0, "\(pipeline.apply.output.suffix(2000))")
            #expect(try await pipeline.capture.wait() == 0)
        }
    }

    @Test func aDeniedRoleStopsApplyWithItsMessage() async throws {
        try await withRolePipeline("stsdeny", rows: "(1, 'a')", proxyArguments: ["--sts-deny"]) { pipeline, proxy in
            let status = try await pipeline.apply.wait(within: .seconds(60))
            #expect(status != 0)
            let output = pipeline.apply.output
            #expect(output.contains("AccessDenied") && output.contains("arn:aws:iam::123456789012:role/ferry-apply"),
                    "\(output.suffix(2000))")
            let faults = try await HTTPTestConnection.send(.GET, "/__faults", port: proxy.port).body
            // Refused, not retried: each caller that needed credentials asked once (the batch's write, the
            // table's description), where a retrying apply would have asked every few seconds for a minute.
            let denied = try #require(faults.firstMatch(of: /"sts_denied": (\d+)/).flatMap { Int($0.output.1) })
            #expect((1...2).contains(denied), "\(faults)")
            pipeline.capture.signal(SIGTERM)
            #expect(try await pipeline.capture.wait() == 0)
        }
    }
}
