import Apply
import Foundation
import Shared
import Testing

/// Timestamps as GSI sort keys: written with six fraction digits (`--timestamp-format fixed`, the default), a
/// GSI query returns a second's worth of rows in time order, whole seconds and fractions mixed.
@Suite("Apply timestamp order")
struct ApplyTimestampOrderTests {
    @Test func aGSIOverATimestampReturnsRowsInTimeOrder() async throws {
        let topic = try await ApplyTestTopic("timestamps")
        defer { Task { await topic.dropTable() } }
        try await topic.client.createTable(
            CreateTableInput(
                tableName: topic.targetTable,
                attributeDefinitions: [AttributeDefinition("id", .n), AttributeDefinition("name", .s), AttributeDefinition("at", .s)],
                keySchema: [KeySchemaElement("id", .hash)],
                globalSecondaryIndexes: [
                    GlobalSecondaryIndex(indexName: "ByTime", keySchema: [KeySchemaElement("name", .hash), KeySchemaElement("at", .range)])
                ]))
        try await topic.client.waitUntilActive(table: topic.targetTable)

        // In time order, as PostgreSQL prints them (trailing zeros trimmed): as strings, a whole second sorts
        // after its own fractions.
        let times = [
            "2024-11-24T15:33:00.999999Z", "2024-11-24T15:33:01Z", "2024-11-24T15:33:01.05Z", "2024-11-24T15:33:01.5Z",
            "2024-11-24T15:33:02Z",
        ]
        let records = times.enumerated().map { index, time in
            var record = topic.record(
                .create, id: index + 1,
                after: JSONObject([("id", .integer(index + 1)), ("name", .string("s")), ("at", .string(time))]),
                lsn: UInt64(100 + index))
            record.types = [ColumnType(column: "id", typeName: "int4"), ColumnType(column: "name", typeName: "text"),
                            ColumnType(column: "at", typeName: "timestamptz")]
            return record
        }
        // Produced out of time order, so that only the sort key can put them in order.
        try await topic.produce(records.reversed())
        let apply = topic.startApply(try topic.options())
        defer { apply.task.cancel() }
        #expect(try await topic.items { $0.count == times.count }.count == times.count)

        let page = try await topic.client.query(
            QueryInput(
                tableName: topic.targetTable, indexName: "ByTime", keyConditionExpression: "#n = :n",
                expressionAttributeNames: ["#n": "name"], expressionAttributeValues: [":n": .s("s")]))
        #expect(page.items.map(ApplyTestTopic.id(of:)) == [1, 2, 3, 4, 5])
        #expect(page.items.first?["at"] == .s("2024-11-24T15:33:00.999999Z"))
        #expect(page.items.dropFirst().first?["at"] == .s("2024-11-24T15:33:01.000000Z"))
    }
}
