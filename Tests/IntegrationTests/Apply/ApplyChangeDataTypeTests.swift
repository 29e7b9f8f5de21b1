import Apply
import Foundation
import Shared
import Testing

/// change-data-type through apply into DynamoDB: converted values written with their new type; a value that does
/// not convert dead-letters its record, and apply carries on.
@Suite("Apply change-data-type")
struct ApplyChangeDataTypeTests {
    static func changeType(_ id: Int, column: String, _ type: String) -> (String) -> String {
        { table in
            """
            {"rule-type": "transformation", "rule-id": "\(id)", "rule-name": "\(id)", "rule-target": "column",
             "rule-action": "change-data-type",
             "object-locator": {"schema-name": "public", "table-name": "\(table)", "column-name": "\(column)"},
             "data-type": {"type": "\(type)"}}
            """
        }
    }

    @Test func convertedValuesAreWrittenTypedAndAnUnconvertibleRowIsDeadLettered() async throws {
        let topic = try await ApplyTestTopic(
            "changetype",
            transformations: [Self.changeType(3, column: "name", "int4"), Self.changeType(4, column: "amount", "string")])
        defer { Task { await topic.dropTable() } }
        let group = TestStack.uniqueName("g")
        try await topic.produce([
            topic.record(.create, id: 1, after: row(1, name: "42", amount: "1.50"), lsn: 100),
            topic.record(.create, id: 2, after: row(2, name: "forty-two"), lsn: 200),
            topic.record(.create, id: 3, after: row(3, name: "-7", amount: nil), lsn: 300),
        ])
        let apply = topic.startApply(try topic.options(group: group))
        defer { apply.task.cancel() }
        #expect(try await topic.waitForCommit(group: group, count: 3))

        let items = try await topic.scan()
        #expect(items.map(ApplyTestTopic.id(of:)) == [1, 3])
        #expect(items.map { $0["name"] } == [.n("42"), .n("-7")])
        #expect(items.map { $0["amount"] } == [.s("1.50"), nil])
        #expect(apply.service.statistics.tables["public.\(topic.sourceTable)"]?.deadLettered == 1)
    }
}
