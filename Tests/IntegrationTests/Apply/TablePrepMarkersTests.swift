import Shared
import Testing

@testable import Apply

/// DROP_AND_CREATE's markers against DynamoDB (moto): one claim at a time, a dead holder's claim taken over after
/// its lease, and only the current holder can mark the table prepared.
@Suite("Table prep markers")
struct TablePrepMarkersTests {
    @Test func oneMemberClaimsADeadHoldersClaimIsTakenOverAndOnlyTheHolderMarksPrepared() async throws {
        let client = DynamoDBClient(configuration: try .fromEnvironment(), logger: TestStack.logger)
        defer { Task { try? await client.shutdown() } }
        // The markers table is shared by every group (tests use their own groups); apply creates it on first use.
        do {
            _ = try await client.describeTable(TablePrepMarkers.table)
        } catch let error as DynamoDBError where error.code == .resourceNotFound {
            do {
                try await client.createTable(
                    CreateTableInput(
                        tableName: TablePrepMarkers.table,
                        attributeDefinitions: [AttributeDefinition("group", .s), AttributeDefinition("table", .s)],
                        keySchema: [KeySchemaElement("group", .hash), KeySchemaElement("table", .range)]))
            } catch let error as DynamoDBError where error.code == .resourceInUse {}
        }
        try await client.waitUntilActive(table: TablePrepMarkers.table)

        let group = TestStack.uniqueName("g")
        let table = TestStack.uniqueName("T")
        let first = TablePrepMarkers(client: client, group: group)
        let second = TablePrepMarkers(client: client, group: group)
        let now = WallClock.nowMs()
        #expect(try await first.claim(table, nowMs: now) == .claimed)
        #expect(try await second.claim(table, nowMs: now) == .heldByAnother)

        // The first holder dies; once its lease has run out the second takes the claim over.
        let afterLease = now + TablePrepMarkers.lease.components.seconds * 1000 + 1
        #expect(try await second.claim(table, nowMs: afterLease) == .claimed)
        #expect(try await first.markPrepared(table) == false)
        #expect(try await second.markPrepared(table))
        #expect(try await first.claim(table) == .prepared)
        #expect(try await second.claim(table, nowMs: afterLease * 2) == .prepared)

        // Another group prepares its own.
        #expect(try await TablePrepMarkers(client: client, group: "\(group)_other").claim(table) == .claimed)
    }
}
