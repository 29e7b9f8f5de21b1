import Apply
import Foundation
import Shared
import Testing

/// `ferry replay` moves a group back (plan first, with --dry-run changing nothing), apply then re-reads and finds
/// everything applied; and the documented backfill builds a new table from the topics alone next to a live apply.
@Suite("ferry replay and backfill")
struct ReplayTests {
    @Test func dryRunPlansAndReplayMovesTheGroupBack() async throws {
        let topic = try await ApplyTestTopic("replay")
        defer { Task { await topic.dropTable() } }
        let rows = 120
        try await topic.produce((1...rows).map { topic.record(.create, id: $0, after: row($0, name: "r"), lsn: UInt64(100 + $0)) })
        let group = TestStack.uniqueName("g")
        let first = topic.startApply(try topic.options(group: group))
        #expect(try await topic.waitForCommit(group: group, count: Int64(rows)))
        first.task.cancel()
        _ = try? await first.task.value

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(topic.prefix)
        let common = ["replay", "--brokers", try TestStack.brokers, "--prefix", topic.prefix, "--group", group]
        let dryRun = try await FerryRun.run(common + ["--from-beginning", "--dry-run", "--format", "json"], in: directory)
        #expect(dryRun.status == 0, "\(dryRun.errors)")
        #expect(
            dryRun.output == #"""
                {"group":"\#(group)","partitions":[{"topic":"\#(topic.topic)","partition":0,"current":\#(rows),"new":0,"records_to_reread":\#(rows)}],"records_to_reread":\#(rows)}

                """#)
        #expect(try await topic.waitForCommit(group: group, count: Int64(rows), timeout: .seconds(1)), "dry run moved the group")

        let explicit = try await FerryRun.run(common + ["--offset", "0:100", "--dry-run"], in: directory)
        #expect(explicit.output.contains("group \(group): 20 records to re-read"), "\(explicit.output)\(explicit.errors)")

        let replay = try await FerryRun.run(common + ["--from-beginning"], in: directory)
        #expect(replay.status == 0, "\(replay.errors)")
        #expect(
            replay.lines.contains { $0.split(separator: " ") == ["\(topic.topic)", "0", "\(rows)", "0", "\(rows)"] },
            "\(replay.output)")
        #expect(replay.output.contains("group \(group): \(rows) records to re-read"))
        #expect(try await topic.waitForCommit(group: group, count: 0, timeout: .seconds(10)))

        let second = topic.startApply(try topic.options(group: group))
        defer { second.task.cancel() }
        #expect(try await topic.waitForCommit(group: group, count: Int64(rows)))
        let statistics = try #require(second.service.statistics.tables["public.\(topic.sourceTable)"])
        #expect(statistics.noops == rows && statistics.inserts == 0, "\(statistics)")
    }

    @Test func replayRefusesAGroupWithActiveMembers() async throws {
        let topic = try await ApplyTestTopic("replay_active")
        defer { Task { await topic.dropTable() } }
        try await topic.produce((1...10).map { topic.record(.create, id: $0, after: row($0, name: "r"), lsn: UInt64(100 + $0)) })
        let group = TestStack.uniqueName("g")
        let live = topic.startApply(try topic.options(group: group))
        defer { live.task.cancel() }
        #expect(try await topic.waitForCommit(group: group, count: 10))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(topic.prefix)
        let common = ["replay", "--brokers", try TestStack.brokers, "--prefix", topic.prefix, "--group", group, "--from-beginning"]
        let refused = try await FerryRun.run(common, in: directory)
        #expect(refused.status != 0 && refused.errors.contains("has active members"), "\(refused.output)\(refused.errors)")
        #expect(try await topic.waitForCommit(group: group, count: 10, timeout: .seconds(1)), "a refused replay moved the group")
    }

    @Test func replayNeedsAPositionAndKnownTables() async throws {
        let topic = try await ApplyTestTopic("replay_args")
        defer { Task { await topic.dropTable() } }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(topic.prefix)
        let common = ["replay", "--brokers", try TestStack.brokers, "--prefix", topic.prefix, "--group", TestStack.uniqueName("g")]
        let noPosition = try await FerryRun.run(common, in: directory)
        #expect(noPosition.status != 0 && noPosition.errors.contains("say where to move the group"), "\(noPosition.errors)")
        let unknown = try await FerryRun.run(common + ["--tables", "public.nope", "--from-beginning"], in: directory)
        #expect(unknown.status != 0 && unknown.errors.contains("no topic for \(topic.prefix).public.nope"), "\(unknown.errors)")
    }

    /// README "Backfill": a new group with --table-suffix fills a new table from the topics while the live apply
    /// keeps applying new changes; when both are caught up the tables are equal.
    @Test func backfillBuildsANewTableEqualToTheLiveOne() async throws {
        let topic = try await ApplyTestTopic("backfill")
        let backfillTable = topic.targetTable + "_backfill"
        defer {
            Task {
                _ = try? await topic.client.deleteTable(backfillTable)
                await topic.dropTable()
            }
        }
        try await topic.produce((1...300).map { topic.record(.create, id: $0, after: row($0, name: "v1"), lsn: UInt64(100 + $0)) })
        let live = topic.startApply(try topic.options())
        defer { live.task.cancel() }
        _ = try await topic.items(within: .seconds(60)) { $0.count == 300 }

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(topic.prefix)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let mappingsPath = directory.appendingPathComponent("table-mappings.json").path
        try Data(topic.mappingsDocument.utf8).write(to: URL(fileURLWithPath: mappingsPath))
        let endpoint = OperationsEndpoint()
        let backfill = try FerryRun.start(
            [
                "apply", "--brokers", try TestStack.brokers, "--prefix", topic.prefix, "--group", TestStack.uniqueName("backfill"),
                "--table-mappings", mappingsPath, "--table-suffix", "_backfill", "--target-table-prep", "CREATE_IF_MISSING",
            ] + endpoint.arguments,
            in: directory)
        let statusPort = try await endpoint.port(of: backfill.child)
        // The live pipeline keeps changing rows while the backfill reads the history.
        var expectedNames = Dictionary(uniqueKeysWithValues: (1...300).map { ($0, "v1") })
        for wave in 1...3 {
            let updated = Array(stride(from: wave, through: 300, by: 7))
            let changes = updated.map { id in
                topic.record(.update, id: id, after: row(id, name: "v\(wave + 1)"), lsn: UInt64(1000 * (wave + 1) + id))
            } + [topic.record(.delete, id: 290 + wave, lsn: UInt64(1000 * (wave + 1) + 999))]
            for id in updated { expectedNames[id] = "v\(wave + 1)" }
            expectedNames[290 + wave] = nil
            try await topic.produce(changes)
            try await Task.sleep(for: .milliseconds(300))
        }
        // Both tables must reach the fold of every record (a table that has only part of the last wave is not done).
        let isFinal: ([DynamoDBItem]) -> Bool = { items in
            items.count == expectedNames.count
                && items.allSatisfy { $0["name"] == expectedNames[ApplyTestTopic.id(of: $0)].map(DynamoDBAttributeValue.s) }
        }
        let liveItems = try await topic.items(within: .seconds(90), until: isFinal)
        let backfilled = try await ApplyTestTopic.items(of: backfillTable, client: topic.client, within: .seconds(120), until: isFinal)
        #expect(isFinal(liveItems), "the live apply did not reach the final state")
        if backfilled != liveItems {
            // Which side lost the change: the backfill's own counts (no-ops, dead letters) and its log.
            let status = try? await HTTPTestConnection.send(.GET, "/status", port: statusPort).body
            let log = (try? String(contentsOfFile: backfill.errorPath, encoding: .utf8)) ?? ""
            Issue.record("backfill /status: \(status ?? "unreachable")\nbackfill log:\n\(log.suffix(3000))")
        }
        #expect(backfilled == liveItems)
        backfill.child.signal(SIGTERM)
        #expect(try await backfill.child.wait() == 0)
    }
}
