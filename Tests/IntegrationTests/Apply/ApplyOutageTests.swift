import Apply
import Foundation
import Shared
import Testing

@Suite("Apply during a DynamoDB outage")
struct ApplyOutageTests {
    /// A target table that is not there (DO_NOTHING) fails every request like an outage would: apply backs off,
    /// reports the problem, commits nothing, and carries on once the table is back.
    @Test func backsOffCommitsNothingAndResumes() async throws {
        let outage = try await Outage("outage")
        defer { outage.end() }
        #expect(try await !outage.topic.waitForCommit(group: outage.group, count: 1, timeout: .seconds(1)))

        try await outage.createTable()
        let items = try await outage.topic.items(within: .seconds(90)) { $0.count == 1 }
        #expect(items.first?["name"] == .s("waited"))
        #expect(try await outage.topic.waitForCommit(group: outage.group, count: 1))
        #expect(outage.apply.service.statistics.currentProblem == nil)
    }

    /// An outage longer than `max.poll.interval.ms` (10 s in the tests): the member keeps polling with its
    /// partitions paused, stays in the group, and writes the batch once when DynamoDB is back. Had it been dropped,
    /// its commit would fail and the record would be read (and counted) a second time.
    @Test func anOutageLongerThanThePollIntervalKeepsTheMembership() async throws {
        let outage = try await Outage("long_outage")
        defer { outage.end() }
        try await Task.sleep(for: .seconds(15))

        try await outage.createTable()
        #expect(try await outage.topic.waitForCommit(group: outage.group, count: 1))
        #expect(try await outage.topic.scan().map { $0["name"] } == [.s("waited")])
        // A second read would show as a no-op; give a dropped member time to rejoin and re-read before looking.
        try await Task.sleep(for: .seconds(3))
        let counts = try #require(outage.apply.service.statistics.tables["public.\(outage.topic.sourceTable)"])
        #expect(counts.inserts == 1 && counts.noops == 0, "\(counts)")
    }
}

/// An apply whose target table does not exist (DO_NOTHING), with one record to write: it is in an outage, and has
/// said so, when `init` returns.
private struct Outage {
    let topic: ApplyTestTopic
    let group = TestStack.uniqueName("g")
    let apply: (service: ApplyService, task: Task<Void, any Error>)

    init(_ name: String) async throws {
        topic = try await ApplyTestTopic(name)
        var options = try topic.options(group: group)
        options.targetTablePrep = .doNothing
        apply = topic.startApply(options)
        try await topic.produce([topic.record(.create, id: 1, after: row(1, name: "waited"), lsn: 100)])
        let deadline = ContinuousClock.Instant.deadline(in: .seconds(30))
        while apply.service.statistics.currentProblem == nil && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(apply.service.statistics.currentProblem?.contains("DynamoDB unavailable") == true)
    }

    func createTable() async throws {
        try await topic.client.createTable(
            CreateTableInput(tableName: topic.targetTable, attributeDefinitions: [AttributeDefinition("id", .n)],
                             keySchema: [KeySchemaElement("id", .hash)]))
    }

    func end() {
        apply.task.cancel()
        Task { [topic] in await topic.dropTable() }
    }
}
