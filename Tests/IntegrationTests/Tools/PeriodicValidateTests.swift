import Apply
import Foundation
import NIOHTTP1
import Shared
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `ferry validate --every` as operators run it: the real binary, validating a small table once a second on a
/// private PostgreSQL cluster (stopped and started under it) against the local DynamoDB endpoint.
@Suite("Periodic validate", .timeLimit(.minutes(5)))
struct PeriodicValidateTests {
    /// Equal, then a difference planted in DynamoDB, then repaired — each seen by the next runs and in the metrics;
    /// the source going away is a failed run retried the next period (unhealthy meanwhile), a target table that
    /// disappears stops it with the message; SIGTERM ends it with status 0.
    @Test func periodsSeeDifferencesComeAndGoAndOnlyAPermanentFailureStopsIt() async throws {
        _ = try TestStack.variable("AWS_ENDPOINT_URL_DYNAMODB")  // never real AWS
        let cluster = try await ThrowawayCluster.start()
        let client = DynamoDBClient(configuration: try .fromEnvironment(), logger: TestStack.logger)
        let target = TestStack.uniqueName("periodic_items")
        do {
            let fixture = try await ValidateFixture.make(sourceURL: cluster.url, targetTable: target, client: client)
            try await Self.run(fixture, cluster: cluster)
        } catch {
            _ = try? await client.deleteTable(target)
            try? await client.shutdown()
            await cluster.stop()
            throw error
        }
        _ = try? await client.deleteTable(target)
        try await client.shutdown()
        await cluster.stop()
    }

    private static func run(_ fixture: ValidateFixture, cluster: ThrowawayCluster) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(fixture.targetTable)
        let endpoint = OperationsEndpoint()
        let arguments = [
            "validate", "--source", fixture.sourceURL, "--table-mappings", fixture.mappingsPath, "--format", "json",
        ]
        let (child, errorPath) = try FerryRun.start(arguments + ["--every", "1s"] + endpoint.arguments, in: directory)
        let port = try await endpoint.port(of: child)
        let scrape = Scrape(port: port, child: child, errorPath: errorPath)
        let table = ["table": "public.items"]

        let first = try await scrape.until("a clean run") { $0.value("ferry_validate_runs_total", ["outcome": "ok"]) >= 1 }
        #expect(first.value("ferry_validate_rows_compared", table) == 5)
        #expect(first.value("ferry_validate_differences", table.merging(["kind": "differing"]) { $1 }) == 0)
        #expect(first.value("ferry_validate_last_run_timestamp_seconds", table) > 0)
        #expect(first.lines.contains { $0.hasPrefix("ferry_validate_run_duration_seconds ") })
        #expect(try await HTTPTestConnection.send(.GET, "/health", port: port).status == .ok)
        let status = try await HTTPTestConnection.send(.GET, "/status", port: port).body
        #expect(status.contains(#""service":"validate""#) && status.contains(#""period_seconds":1"#), "\(status)")

        // SIGTERM ends a second periodic validation cleanly, between runs or in one.
        let (other, _) = try FerryRun.start(arguments + ["--every", "1s"], in: directory)
        let otherDeadline = ContinuousClock.Instant.deadline(in: .seconds(60))
        while !other.output.contains(#""status":"OK""#), ContinuousClock.now < otherDeadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        other.signal(SIGTERM)
        #expect(try await other.wait(within: .seconds(30)) == 0, "\(other.output)")

        try await fixture.put(fixture.item(3, ["name": .s("GAMMA")]))
        let differing = try await scrape.until("the planted difference") {
            $0.value("ferry_validate_differences", ["table": "public.items", "kind": "differing"]) == 1
        }
        #expect(differing.value("ferry_validate_runs_total", ["outcome": "diff"]) >= 1)
        #expect(child.output.contains(#""attributes":[{"name":"name","source":{"S":"gamma"},"target":{"S":"GAMMA"}}]"#))

        try await fixture.put(fixture.item(3))
        let cleanRuns = differing.value("ferry_validate_runs_total", ["outcome": "ok"])
        _ = try await scrape.until("the repair") {
            $0.value("ferry_validate_differences", ["table": "public.items", "kind": "differing"]) == 0
                && $0.value("ferry_validate_runs_total", ["outcome": "ok"]) > cleanRuns
        }

        // The source goes away: runs fail, are retried each period, and /health says why; nothing stops.
        try await cluster.pause()
        let failing = try await scrape.until("a failed run") {
            $0.value("ferry_validate_runs_total", ["outcome": "failed"]) >= 2
        }
        let unhealthy = try await HTTPTestConnection.send(.GET, "/health", port: port)
        #expect(unhealthy.status == .serviceUnavailable, "\(unhealthy.body)")
        let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        #expect(errors.contains("validation run failed; retrying at the next period"), "\(errors)")
        try await cluster.resume()
        // Counted from the failed runs: clean runs between the repair and the pause must not count as the recovery.
        let okBefore = failing.value("ferry_validate_runs_total", ["outcome": "ok"])
        _ = try await scrape.until("a clean run after the source came back") {
            $0.value("ferry_validate_runs_total", ["outcome": "ok"]) > okBefore
        }
        #expect(try await HTTPTestConnection.send(.GET, "/health", port: port).status == .ok)

        // A missing target table fails every run alike: it stops, with the message.
        _ = try await fixture.client.deleteTable(fixture.targetTable)
        #expect(try await child.wait(within: .seconds(60)) == 2)
        let stopped = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        #expect(stopped.contains("DynamoDB table \(fixture.targetTable) (the target of public.items) does not exist"), "\(stopped)")
    }

    /// The child's `/metrics`, read until a condition holds.
    struct Scrape {
        let port: Int
        let child: ChildProcess
        let errorPath: String

        struct Metrics {
            let lines: [Substring]

            /// The sample of `name` with (at least) `labels`; -1 when there is none.
            func value(_ name: String, _ labels: [String: String] = [:]) -> Double {
                for line in lines where line.hasPrefix(name + "{") || line.hasPrefix(name + " ") {
                    guard labels.allSatisfy({ line.contains("\($0.key)=\"\($0.value)\"") }) else { continue }
                    return line.split(separator: " ").last.flatMap { Double($0) } ?? -1
                }
                return -1
            }
        }

        func until(_ what: String, _ holds: (Metrics) -> Bool) async throws -> Metrics {
            let deadline = ContinuousClock.Instant.deadline(in: .seconds(60))
            var last = Metrics(lines: [])
            while ContinuousClock.now < deadline {
                if let response = try? await HTTPTestConnection.send(.GET, "/metrics", port: port) {
                    last = Metrics(lines: response.body.split(separator: "\n"))
                    if holds(last) { return last }
                }
                try await Task.sleep(for: .milliseconds(200))
            }
            let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            Issue.record("no \(what) within 60 s; metrics:\n\(last.lines.joined(separator: "\n"))\nerrors:\n\(errors.suffix(3000))")
            throw CancellationError()
        }
    }
}
