import Apply
import Foundation
import Shared
import Testing

/// Add-column expressions over the record's header through apply into DynamoDB: `$AR_H_…` variables and
/// `operation_indicator()`, whose deletes keep the item, flagged (DMS's soft delete).
@Suite("Apply record header columns")
struct ApplyRecordHeaderTests {
    static func addColumn(_ id: Int, _ name: String, _ expression: String) -> (String) -> String {
        { table in
            """
            {"rule-type": "transformation", "rule-id": "\(id)", "rule-name": "\(id)", "rule-target": "column",
             "object-locator": {"schema-name": "public", "table-name": "\(table)"}, "rule-action": "add-column",
             "value": "\(name)", "expression": "\(expression)", "data-type": {"type": "string", "length": 50}}
            """
        }
    }

    @Test func headerColumnsAreWrittenAndADeleteFlagsTheItem() async throws {
        let topic = try await ApplyTestTopic(
            "header",
            transformations: [
                Self.addColumn(3, "Operation", "operation_indicator('D', 'U', 'I')"),
                Self.addColumn(4, "op", "$AR_H_OPERATION"),
                Self.addColumn(5, "position", "$AR_H_STREAM_POSITION"),
                Self.addColumn(6, "tx", "$AR_H_TRANSACTION_ID"),
            ])
        defer { Task { await topic.dropTable() } }
        let group = TestStack.uniqueName("g")
        // Row 1 from the full load, then updated; row 2 inserted, then deleted; row 3 inserted and deleted, the
        // delete followed by its tombstone (what a compacted topic keeps).
        let delete3 = topic.record(.delete, id: 3, lsn: 0x300)
        try await topic.produce([
            topic.record(.read, id: 1, after: row(1, name: "loaded"), lsn: 0x100, seq: -1),
            topic.record(.create, id: 2, after: row(2, name: "new"), lsn: 0x200),
            topic.record(.create, id: 3, after: row(3, name: "gone"), lsn: 0x280),
            topic.record(.update, id: 1, after: row(1, name: "changed"), lsn: 0x2A0),
            topic.record(.delete, id: 2, lsn: 0x2C0),
            delete3,
        ])
        try await topic.produce([topic.tombstone(after: delete3)])
        let apply = topic.startApply(try topic.options(group: group))
        defer { apply.task.cancel() }
        #expect(try await topic.waitForCommit(group: group, count: 7))

        let items = try await topic.scan()
        #expect(items.map(ApplyTestTopic.id(of:)) == [1, 2, 3])
        #expect(items.map { $0["Operation"] } == [.s("U"), .s("D"), .s("D")])
        #expect(items.map { $0["op"] } == [.s("UPDATE"), .s("DELETE"), .s("DELETE")])
        #expect(items.map { $0["position"] } == [.s("0/2A0"), .s("0/2C0"), .s("0/300")])
        #expect(items.map { $0["tx"] } == [.s("672"), .s("704"), .s("768")])
        // The flagged items keep the row's last values.
        #expect(items.map { $0["name"] } == [.s("changed"), .s("new"), .s("gone")])
        #expect(apply.service.statistics.tables["public.\(topic.sourceTable)"]?.deletes == 2)
    }
}
