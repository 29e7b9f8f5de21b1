import Apply
import Foundation
import Shared
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Apply during a DynamoDB outage")
struct ApplyOutageTests {
    /// Every DynamoDB call answers 503 (scripts/fault-proxy.py --outage): apply backs off, reports the problem,
    /// commits nothing, and carries on once DynamoDB is back.
    @Test func backsOffCommitsNothingAndResumes() async throws {
        let outage = try await Outage("outage")
        defer { outage.stop() }
        #expect(try await !outage.run.topic.waitForCommit(group: outage.run.group, count: 1, timeout: .seconds(1)))

        try await outage.end()
        let items = try await outage.run.topic.items(within: .seconds(90)) { $0.count == 1 }
        #expect(items.first?["name"] == .s("waited"), "\(outage.apply.output.suffix(2000))")
        #expect(try await outage.run.topic.waitForCommit(group: outage.run.group, count: 1))
        #expect(try await HTTPTestConnection.send(.GET, "/health", port: outage.port).status == .ok)
    }

    /// An outage longer than `max.poll.interval.ms` (15 s here): the member keeps polling with its partitions
    /// paused, stays in the group, and writes the batch once when DynamoDB is back. Had it been dropped, its commit
    /// would fail and the record would be read (and counted) a second time.
    @Test func anOutageLongerThanThePollIntervalKeepsTheMembership() async throws {
        let outage = try await Outage(
            "long_outage",
            kafka: ["max.poll.interval.ms": "15000", "session.timeout.ms": "6000", "heartbeat.interval.ms": "500"])
        defer { outage.stop() }
        try await Task.sleep(for: .seconds(18))

        try await outage.end()
        #expect(try await outage.run.topic.waitForCommit(group: outage.run.group, count: 1))
        #expect(try await outage.run.topic.scan().map { $0["name"] } == [.s("waited")])
        // A second read would show as a no-op; give a dropped member time to rejoin and re-read before looking.
        try await Task.sleep(for: .seconds(3))
        let status = try JSONParser.parse(Array(try await HTTPTestConnection.send(.GET, "/status", port: outage.port).body.utf8))
        guard case .object(let document) = status, case .object(let tables)? = document["tables"],
            case .object(let counts)? = tables["public.\(outage.run.topic.sourceTable)"]
        else {
            Issue.record("no counts for the table in \(status)")
            return
        }
        #expect(counts["inserts"] == .integer(1) && counts["noops"] == .integer(0), "\(counts)")
    }
}

/// `ferry apply` behind the fault proxy in an outage (every DynamoDB call answers 503), with one record to write:
/// it is in the outage, and has said so on /health, when `init` returns.
private struct Outage {
    let run: ApplyRun
    let proxy: FaultProxy
    let apply: ChildProcess
    /// The port of apply's operations endpoint.
    let port: Int

    init(_ name: String, kafka: [String: String] = [:]) async throws {
        run = try await ApplyRun(name)
        proxy = try await FaultProxy.start(
            logPath: run.directory.appendingPathComponent("proxy.log").path, arguments: ["--outage"])
        try await run.topic.produce([run.topic.record(.create, id: 1, after: row(1, name: "waited"), lsn: 100)])
        let endpoint = OperationsEndpoint()
        apply = try run.start(
            environment: ["AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:\(proxy.port)"], endpoint: endpoint,
            kafka: kafka)
        port = try await endpoint.port(of: apply)
        let deadline = ContinuousClock.Instant.deadline(in: .seconds(30))
        var health = ""
        while !health.contains("DynamoDB unavailable") && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            health = (try? await HTTPTestConnection.send(.GET, "/health", port: port).body) ?? ""
        }
        #expect(health.contains("DynamoDB unavailable"), "\(health)\n\(apply.output.suffix(2000))")
    }

    /// DynamoDB answers again.
    func end() async throws {
        _ = try await HTTPTestConnection.send(.GET, "/__outage/end", port: proxy.port)
    }

    func stop() {
        apply.signal(SIGTERM)
        proxy.process.signal(SIGTERM)
        Task { [run] in await run.topic.dropTable() }
    }
}
