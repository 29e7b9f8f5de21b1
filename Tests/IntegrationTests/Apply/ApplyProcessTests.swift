import Apply
import Foundation
import Shared
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `ferry apply` as a child process: killed with SIGKILL mid-load and restarted, it converges on the exact table;
/// SIGTERM finishes the batch, commits and exits 0.
@Suite("Apply process")
struct ApplyProcessTests {
    @Test func killedMidLoadAndRestartedConvergesAndStopsCleanly() async throws {
        let topic = try await ApplyTestTopic("kill")
        defer { Task { await topic.dropTable() } }
        let rows = 1500
        let updates = 500
        let creates: [ChangeRecord] = (1...rows).map { id in
            topic.record(.create, id: id, after: row(id, name: "created"), lsn: UInt64(100 + id))
        }
        let changes: [ChangeRecord] = (1...updates).map { id in
            topic.record(.update, id: id, after: row(id, name: "updated"), lsn: UInt64(10_000 + id))
        }
        try await topic.produce(creates + changes)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(topic.prefix)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let mappingsPath = directory.appendingPathComponent("table-mappings.json").path
        try Data(topic.mappingsDocument.utf8).write(to: URL(fileURLWithPath: mappingsPath))
        let group = TestStack.uniqueName("g")
        let command = [
            try ferryExecutable(), "apply", "--brokers", try TestStack.brokers, "--prefix", topic.prefix, "--group", group,
            "--table-mappings", mappingsPath, "--target-table-prep", "CREATE_IF_MISSING", "--concurrency", "8",
            "-X", "session.timeout.ms=6000", "-X", "max.poll.interval.ms=10000", "-X", "heartbeat.interval.ms=500",
        ]

        let first = try ChildProcess(command, logPath: directory.appendingPathComponent("first.log").path)
        _ = try await topic.items(within: .seconds(60)) { !$0.isEmpty }
        first.signal(SIGKILL)
        #expect(try await first.wait() == 128 + SIGKILL)

        let endpoint = OperationsEndpoint()
        let second = try ChildProcess(
            command + endpoint.arguments, logPath: directory.appendingPathComponent("second.log").path)
        let httpPort = try await endpoint.port(of: second)
        let isComplete: ([DynamoDBItem]) -> Bool = { items in
            items.count == rows
                && items.allSatisfy { $0["name"] == .s(ApplyTestTopic.id(of: $0) <= updates ? "updated" : "created") }
        }
        let items = try await topic.items(within: .seconds(120), until: isComplete)
        #expect(isComplete(items), "\(items.count) items; second run's log:\n\(second.output.suffix(2000))")
        #expect(try await topic.waitForCommit(group: group, count: Int64(rows + updates)))

        let health = try await HTTPTestConnection.send(.GET, "/health", port: httpPort)
        #expect(health.status == .ok)
        let status = try await HTTPTestConnection.send(.GET, "/status", port: httpPort)
        #expect(status.body.contains(#""public.\#(topic.sourceTable)""#), "\(status.body)")
        #expect(status.body.contains(#""target_latency_ms""#))
        let metrics = try await HTTPTestConnection.send(.GET, "/metrics", port: httpPort)
        #expect(metrics.body.contains("ferry_apply_writes_total"), "\(metrics.body.prefix(1000))")
        // The progress line (every 5 s; the first covers everything applied since start).
        let deadline = ContinuousClock.Instant.deadline(in: .seconds(15))
        while !second.output.contains("apply progress"), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        let progress = second.output.split(separator: "\n").first { $0.contains("apply progress") } ?? ""
        for field in ["table=public.\(topic.sourceTable)", "items_per_second=", "noops=", "consumer_lag=", "target_latency_ms="] {
            #expect(progress.contains(field), "\(field) missing from: \(progress)")
        }
        second.signal(SIGTERM)
        #expect(try await second.wait() == 0, "\(second.output.suffix(2000))")
    }
}
