import Apply
import Foundation
import Shared
import Testing

/// An object mapping's `condition-expression` on the local stack: every write must meet it besides the version
/// condition. A write it refuses is dead-lettered with the rule-id (DMS logs such an apply error and carries on);
/// a record the version condition refuses stays a no-op, even on an item the user's condition would refuse too.
@Suite("Apply condition-expression")
struct ApplyConditionExpressionTests {
    @Test func aWriteTheConditionRefusesIsDeadLetteredAndAStaleOneStaysANoop() async throws {
        let topic = try await ApplyTestTopic(
            "condition",
            mappingParameters: """
                {"partition-key-name": "id", "condition-expression": {
                   "expression": "attribute_not_exists(#locked) OR #locked = :no",
                   "expression-attribute-names": [{"name": "#locked", "value": "Locked"}],
                   "expression-attribute-values": [{"name": ":no", "value": {"BOOL": false}}]}}
                """)
        defer { Task { await topic.dropTable() } }
        let group = TestStack.uniqueName("g")
        let table = "public.\(topic.sourceTable)"
        try await topic.produce([
            topic.record(.create, id: 1, after: row(1, name: "one"), lsn: 100),
            topic.record(.create, id: 2, after: row(2, name: "two"), lsn: 200),
        ])
        let apply = topic.startApply(try topic.options(group: group))
        defer { apply.task.cancel() }
        #expect(try await topic.waitForCommit(group: group, count: 2))

        // Another writer locks item 1.
        _ = try await topic.client.updateItem(
            UpdateItemInput(
                tableName: topic.targetTable, key: ["id": .n("1")], updateExpression: "SET Locked = :yes",
                expressionAttributeValues: [":yes": .bool(true)]))
        try await topic.produce([
            topic.record(.update, id: 1, after: row(1, name: "one, changed"), lsn: 300),
            topic.record(.update, id: 2, after: row(2, name: "two, changed"), lsn: 400),
        ])
        #expect(try await topic.waitForCommit(group: group, count: 4))
        var items = try await topic.scan()
        #expect(items.map { $0["name"] } == [.s("one"), .s("two, changed")])
        #expect(items.first?["Locked"] == .bool(true))
        #expect(apply.service.statistics.tables[table]?.deadLettered == 1)

        // Older than what item 1 holds: the version condition fails as well, and that makes it a no-op.
        try await topic.produce([topic.record(.update, id: 1, after: row(1, name: "one, stale"), lsn: 50)])
        #expect(try await topic.waitForCommit(group: group, count: 5))
        items = try await topic.scan()
        #expect(items.map { $0["name"] } == [.s("one"), .s("two, changed")])
        #expect(apply.service.statistics.tables[table]?.deadLettered == 1)
        #expect(apply.service.statistics.tables[table]?.noops == 1)
    }
}
