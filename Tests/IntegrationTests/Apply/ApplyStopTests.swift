import Apply
import Foundation
import Shared
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// DynamoDB failures that waiting cannot change stop `ferry apply` with one message naming the table, the operation
/// and the fix, committing nothing past the records not written; a restart after the fix resumes there. (Outages,
/// throttling and 5xx are waited out: `ApplyOutageTests`, `ApplyFaultTests`.)
@Suite("Apply stops on what cannot heal")
struct ApplyStopTests {
    /// The target table deleted under a running apply: apply stops (it retried for ever before), its group's offset
    /// stays after the records it wrote, and replaying the group into the re-created table ends equal to the source.
    @Test func aTableDeletedUnderARunningApplyStopsItAndARestartRepairs() async throws {
        let run = try await ApplyRun("deleted_table")
        defer { Task { await run.topic.dropTable() } }
        try await run.topic.produce((1...3).map { run.topic.record(.create, id: $0, after: row($0, name: "first"), lsn: UInt64(100 + $0)) })
        let apply = try run.start()
        #expect(try await run.topic.items { $0.count == 3 }.count == 3, "\(apply.output.suffix(2000))")
        #expect(try await run.topic.waitForCommit(group: run.group, count: 3))

        _ = try await run.topic.client.deleteTable(run.topic.targetTable)
        try await run.topic.produce(
            [run.topic.record(.update, id: 1, after: row(1, name: "second"), lsn: 200)]
                + (4...5).map { run.topic.record(.create, id: $0, after: row($0, name: "first"), lsn: UInt64(200 + $0)) })
        #expect(try await apply.wait(within: .seconds(90)) == 1)
        let output = apply.output
        #expect(
            output.contains("ResourceNotFoundException") && output.contains(run.topic.targetTable)
                && output.contains("ferry replay --group GROUP --from-beginning") && output.contains("resumes at the first record not written"),
            "\(output.suffix(3000))")
        #expect(try await run.topic.waitForCommit(group: run.group, count: 3, timeout: .seconds(2)))

        // The fix the message names: re-read the topic into a re-created table (CREATE_IF_MISSING).
        let replay = try await FerryRun.run(
            ["replay", "--brokers", try TestStack.brokers, "--prefix", run.topic.prefix, "--group", run.group, "--from-beginning"],
            in: run.directory)
        #expect(replay.status == 0, "\(replay.errors)")
        let restarted = try run.start()
        let items = try await run.topic.items { items in
            items.count == 5 && items.first?["name"] == .s("second")
        }
        #expect(items.map(ApplyTestTopic.id(of:)) == [1, 2, 3, 4, 5], "\(restarted.output.suffix(2000))")
        #expect(items.map { $0["name"] } == [.s("second"), .s("first"), .s("first"), .s("first"), .s("first")])
        #expect(try await run.topic.waitForCommit(group: run.group, count: 6))
        restarted.signal(SIGTERM)
        #expect(try await restarted.wait(within: .seconds(60)) == 0)
    }

    /// A write DynamoDB denies (AccessDeniedException, injected by the fault proxy for every PutItem): apply stops
    /// naming the permission and the table, commits nothing, and a run with the permission writes both records.
    @Test func aDeniedWriteStopsApplyAndARunWithThePermissionResumes() async throws {
        let run = try await ApplyRun("denied")
        defer { Task { await run.topic.dropTable() } }
        let proxy = try await FaultProxy.start(
            logPath: run.directory.appendingPathComponent("proxy.log").path, arguments: ["--deny", "PutItem"])
        defer { proxy.process.signal(SIGTERM) }
        try await run.topic.produce((1...2).map { run.topic.record(.create, id: $0, after: row($0, name: "kept"), lsn: UInt64(100 + $0)) })
        let denied = try run.start(environment: ["AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:\(proxy.port)"])
        #expect(try await denied.wait(within: .seconds(90)) == 1)
        #expect(
            denied.output.contains("AccessDeniedException") && denied.output.contains("dynamodb:PutItem on table '\(run.topic.targetTable)'"),
            "\(denied.output.suffix(3000))")
        #expect(try await !run.topic.waitForCommit(group: run.group, count: 1, timeout: .seconds(2)))

        let allowed = try run.start()
        #expect(try await run.topic.items { $0.count == 2 }.map(ApplyTestTopic.id(of:)) == [1, 2], "\(allowed.output.suffix(2000))")
        #expect(try await run.topic.waitForCommit(group: run.group, count: 2))
        allowed.signal(SIGTERM)
        #expect(try await allowed.wait(within: .seconds(60)) == 0)
    }

    /// Static credentials whose session token has expired (the fault proxy answers ExpiredTokenException to every
    /// call signed with it): apply looks them up again, gets the same ones, and stops naming their source and the
    /// fix instead of waiting for ever; nothing is committed, and no secret is printed. (Credentials that renew get
    /// past the same answer: `ApplyCredentialOutageTests.aSessionTokenExpiredEarlyIsRenewedAtOnce`.)
    @Test func anExpiredSessionTokenNothingRenewsStopsApply() async throws {
        let run = try await ApplyRun("expired_token")
        defer { Task { await run.topic.dropTable() } }
        let proxy = try await FaultProxy.start(
            logPath: run.directory.appendingPathComponent("proxy.log").path, arguments: ["--expire-first-token"])
        defer { proxy.process.signal(SIGTERM) }
        try await run.topic.produce((1...2).map { run.topic.record(.create, id: $0, after: row($0, name: "kept"), lsn: UInt64(100 + $0)) })
        let expired = try run.start(environment: [
            "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:\(proxy.port)", "AWS_ACCESS_KEY_ID": "ASIASTATICEXAMPLE",
            "AWS_SECRET_ACCESS_KEY": "static-secret-key", "AWS_SESSION_TOKEN": "static-session-token",
        ])
        #expect(try await expired.wait(within: .seconds(90)) == 1)
        let output = expired.output
        #expect(
            output.contains("AWS credentials from environment (AWS_ACCESS_KEY_ID) are unusable")
                && output.contains("ExpiredTokenException") && output.contains("use credentials that renew"),
            "\(output.suffix(3000))")
        #expect(!output.contains("static-secret-key") && !output.contains("static-session-token"))
        #expect(try await !run.topic.waitForCommit(group: run.group, count: 1, timeout: .seconds(2)))
        let faults = try await HTTPTestConnection.send(.GET, "/__faults", port: proxy.port).body
        #expect(faults.contains("\"expired_token\""), "\(faults)")
    }
}

/// One test's topic and `ferry apply` runs over it in one group (CREATE_IF_MISSING), each a child process.
struct ApplyRun {
    let topic: ApplyTestTopic
    let group = TestStack.uniqueName("g")
    let directory: URL
    let mappingsPath: String

    init(_ name: String) async throws {
        topic = try await ApplyTestTopic(name)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(topic.prefix)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        mappingsPath = directory.appendingPathComponent("table-mappings.json").path
        try Data(topic.mappingsDocument.utf8).write(to: URL(fileURLWithPath: mappingsPath))
    }

    /// Starts `ferry apply`; `endpoint` gets the arguments of its operations endpoint, `kafka` goes in as `-X`.
    func start(
        environment: [String: String] = [:], endpoint: OperationsEndpoint? = nil, kafka: [String: String] = [:]
    ) throws -> ChildProcess {
        try ChildProcess(
            [
                try ferryExecutable(), "apply", "--brokers", try TestStack.brokers, "--prefix", topic.prefix,
                "--group", group, "--table-mappings", mappingsPath, "--target-table-prep", "CREATE_IF_MISSING",
            ] + (endpoint?.arguments ?? []) + kafka.sorted { $0.key < $1.key }.flatMap { ["-X", "\($0.key)=\($0.value)"] },
            logPath: directory.appendingPathComponent(TestStack.uniqueName("apply") + ".log").path,
            environment: environment)
    }
}
