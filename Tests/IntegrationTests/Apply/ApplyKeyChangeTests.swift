import Apply
import Foundation
import Shared
import Testing

/// The LoanApp example's alternative mapping (examples/loanapp/README.md): `PK = "APP#${ApplicationId}"`, a key
/// over a non-key column, with `REPLICA IDENTITY FULL`. An update changing `ApplicationId` moves the item.
@Suite("Apply key changes")
struct ApplyKeyChangeTests {
    static let mappingParameters = """
        {"partition-key-name": "PK", "sort-key-name": "SK", "attribute-mappings": [
          {"target-attribute-name": "PK", "attribute-type": "scalar", "attribute-sub-type": "string",
           "value": "APP#${ApplicationId}"},
          {"target-attribute-name": "SK", "attribute-type": "scalar", "attribute-sub-type": "string",
           "value": "LOG#${LogTimestamp}#${LogId}"}]}
        """

    @Test func anUpdateThatChangesTheItemKeyDeletesTheOldItem() async throws {
        let topic = try await ApplyTestTopic("keychange", mappingParameters: Self.mappingParameters)
        defer { Task { await topic.dropTable() } }

        func log(_ id: Int, application: Int) -> JSONObject {
            JSONObject([
                ("LogId", .integer(id)), ("ApplicationId", .integer(application)),
                ("LogTimestamp", .string("2024-11-24T15:33:01Z")),
            ])
        }
        func record(_ op: Shared.Operation, id: Int, before: JSONObject?, after: JSONObject?, lsn: UInt64) -> ChangeRecord {
            var record = topic.record(op, id: id, after: after, lsn: lsn)
            record.key = ["LogId": .integer(id)]
            record.before = before
            record.types = [
                ColumnType(column: "LogId", typeName: "int8"), ColumnType(column: "ApplicationId", typeName: "int8"),
                ColumnType(column: "LogTimestamp", typeName: "timestamptz"),
            ]
            return record
        }
        // Log 1 moves from application 10 to 20 (REPLICA IDENTITY FULL: the update carries the old row). Log 2's
        // update is older (lsn 150) than its item (lsn 300), as a replayed record is: the delete of the old item
        // is version-conditioned, so that item stays (the new key's item, which has no version yet, is written).
        try await topic.produce([
            record(.create, id: 1, before: nil, after: log(1, application: 10), lsn: 100),
            record(.create, id: 2, before: nil, after: log(2, application: 10), lsn: 300),
        ])
        let apply = topic.startApply(try topic.options())
        defer { apply.task.cancel() }
        #expect(try await topic.items { $0.count == 2 }.count == 2)
        try await topic.produce([
            record(.update, id: 1, before: log(1, application: 10), after: log(1, application: 20), lsn: 200),
            record(.update, id: 2, before: log(2, application: 10), after: log(2, application: 40), lsn: 150),
        ])
        func keys(_ items: [DynamoDBItem]) -> [String] {
            items.compactMap { item in
                guard case .s(let pk)? = item["PK"], case .s(let sk)? = item["SK"] else { return nil }
                return "\(pk) \(sk)"
            }.sorted()
        }
        let expected = [
            "APP#10 LOG#2024-11-24T15:33:01.000000Z#2", "APP#20 LOG#2024-11-24T15:33:01.000000Z#1",
            "APP#40 LOG#2024-11-24T15:33:01.000000Z#2",
        ]
        let items = try await topic.items { keys($0) == expected }
        #expect(keys(items) == expected)
    }
}
