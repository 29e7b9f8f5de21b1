import Apply
import Foundation
import Shared
import Testing

@Suite("Apply during a DynamoDB outage")
struct ApplyOutageTests {
    /// A target table that is not there (DO_NOTHING) fails every request like an outage would: apply backs off,
    /// reports the problem, commits nothing, and carries on once the table is back.
    @Test func backsOffCommitsNothingAndResumes() async throws {
        let topic = try await ApplyTestTopic("outage")
        defer { Task { await topic.dropTable() } }
        let group = TestStack.uniqueName("g")
        var options = try topic.options(group: group)
        options.targetTablePrep = .doNothing
        let apply = topic.startApply(options)
        defer { apply.task.cancel() }
        try await topic.produce([topic.record(.create, id: 1, after: row(1, name: "waited"), lsn: 100)])

        let deadline = ContinuousClock.Instant.deadline(in: .seconds(30))
        while apply.service.statistics.currentProblem == nil && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(apply.service.statistics.currentProblem?.contains("DynamoDB unavailable") == true)
        #expect(try await !topic.waitForCommit(group: group, count: 1, timeout: .seconds(1)))

        try await topic.client.createTable(
            CreateTableInput(tableName: topic.targetTable, attributeDefinitions: [AttributeDefinition("id", .n)],
                             keySchema: [KeySchemaElement("id", .hash)]))
        let items = try await topic.items(within: .seconds(90)) { $0.count == 1 }
        #expect(items.first?["name"] == .s("waited"))
        #expect(try await topic.waitForCommit(group: group, count: 1))
        #expect(apply.service.statistics.currentProblem == nil)
    }
}
