import Foundation
import Shared
import Testing

@testable import Apply

/// `examples/loanapp/table-mappings.json`, the file the demo and the compose stack run with: it parses, and
/// its items have the keys and GSI attributes `examples/loanapp/dynamodb-tables.json` declares.
@Suite("LoanApp example mapping file")
struct LoanAppExampleFileTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/loanapp")

    static let logTypes = types([
        "LogId": "int8", "LogType": "varchar", "ServiceName": "varchar", "LogTimestamp": "timestamptz",
        "ApplicationId": "int8", "CorrelationId": "uuid", "ErrorStatus": "varchar", "DurationMs": "numeric",
        "Payload": "jsonb",
    ])

    let logs: ItemMapper
    let payments: ItemMapper

    init() throws {
        let mappings = try TableMappings.parse(
            Array(try Data(contentsOf: Self.directory.appendingPathComponent("table-mappings.json"))))
        #expect(mappings.warnings.isEmpty)
        #expect(mappings.isSelected(schema: "dbo", table: "IntegrationLogs"))
        #expect(mappings.isSelected(schema: "dbo", table: "Payments"))
        #expect(!mappings.isSelected(schema: "public", table: "Payments"))
        logs = try ItemMapper(
            mappings: mappings, schema: "dbo", table: "IntegrationLogs",
            keySchema: [KeyAttribute(name: "PK", type: .string), KeyAttribute(name: "SK", type: .string)])
        payments = try ItemMapper(
            mappings: mappings, schema: "dbo", table: "Payments", keySchema: [KeyAttribute(name: "PaymentId", type: .number)])
    }

    @Test func logItemHasItsKeyAndEveryIndexKeyAttribute() throws {
        let log = try row(
            """
            {"LogId": 5, "LogType": "ERROR", "ServiceName": "UnderwritingEngine",
             "LogTimestamp": "2024-11-01T00:02:10Z", "ApplicationId": 104595,
             "CorrelationId": "2e802119-8672-2fef-5d3f-cd0d47cd7200", "ErrorStatus": "TIMEOUT",
             "DurationMs": 39.535, "Payload": {"status": 504}}
            """)
        let item = try logs.item(for: log, types: Self.logTypes)
        #expect(logs.targetTableName == "LoanApp-IntegrationLogs-dev")
        #expect(item["PK"] == .s("LOG#5"))
        #expect(item["SK"] == .s("LOG#5"))
        // The GSIs are keyed on the columns themselves (GSI1-ApplicationId-LogTimestamp, ...).
        #expect(item["ApplicationId"] == .n("104595"))
        #expect(item["CorrelationId"] == .s("2e802119-8672-2fef-5d3f-cd0d47cd7200"))
        #expect(item["ErrorStatus"] == .s("TIMEOUT"))
        #expect(item["LogTimestamp"] == .s("2024-11-01T00:02:10.000000Z"))
        #expect(item["DurationMs"] == .n("39.535"))
        #expect(item["Payload"] == .m(["status": .n("504")]))
    }

    /// The guide's CDC check inserts only LogType, ServiceName and LogTimestamp: the item is still written,
    /// and simply stays out of the indexes whose key columns are NULL.
    @Test func guideInsertWithoutApplicationIdStillMaps() throws {
        let log = try row(
            """
            {"LogId": 100001, "LogType": "TEST", "ServiceName": "CDCTest", "LogTimestamp": "2026-11-25T06:00:00.123Z",
             "ApplicationId": null, "CorrelationId": null, "ErrorStatus": null, "DurationMs": null, "Payload": null}
            """)
        let item = try logs.item(for: log, types: Self.logTypes)
        #expect(item["PK"] == .s("LOG#100001"))
        #expect(item["ApplicationId"] == nil)
        #expect(item["ErrorStatus"] == nil)
    }

    /// Updates and deletes under the default replica identity carry only the primary key; the item key is
    /// built from LogId alone, so they always find their item.
    @Test func deleteWithOnlyThePrimaryKeyFindsTheItem() throws {
        let key = try logs.key(for: try row(#"{"LogId": 5}"#), types: Self.logTypes)
        #expect(key == ["PK": .s("LOG#5"), "SK": .s("LOG#5")])
    }

    @Test func paymentIsKeyedByPaymentIdWithAnAmountDocumentAndNoProcessorResponse() throws {
        let payment = try row(
            """
            {"PaymentId": 1, "CustomerId": 50031, "ApplicationId": 102919, "PaymentDate": "2024-01-02T00:00:13",
             "PaymentAmount": 129.07, "Currency": "USD", "Status": "COMPLETED", "Method": "CHECK",
             "Reference": "PAY-0000000001", "ProcessorResponse": {"code": "00"}}
            """)
        let item = try payments.item(
            for: payment,
            types: types([
                "PaymentId": "int8", "CustomerId": "int8", "ApplicationId": "int8", "PaymentDate": "timestamp",
                "PaymentAmount": "numeric", "Currency": "bpchar", "Status": "varchar", "Method": "varchar",
                "Reference": "varchar", "ProcessorResponse": "jsonb",
            ]))
        #expect(payments.targetTableName == "LoanApp-Payments-dev")
        #expect(item["PaymentId"] == .n("1"))
        #expect(item["PaymentAmount"] == .n("129.07"))
        #expect(item["Amount"] == .m(["Value": .n("129.07"), "Currency": .s("USD")]))
        #expect(item["ProcessorResponse"] == nil)
    }

    /// Every key attribute the tables file declares (table and GSI keys) is one the mapping fills.
    @Test func tablesFileDeclaresTheKeysTheMappingFills() throws {
        let tables = try JSONSerialization.jsonObject(
            with: Data(contentsOf: Self.directory.appendingPathComponent("dynamodb-tables.json"))) as? [[String: Any]]
        let names = Set((tables ?? []).compactMap { $0["TableName"] as? String })
        #expect(names == ["LoanApp-IntegrationLogs-dev", "LoanApp-Payments-dev"])
        let logTable = try #require(tables?.first { $0["TableName"] as? String == "LoanApp-IntegrationLogs-dev" })
        let indexes = try #require(logTable["GlobalSecondaryIndexes"] as? [[String: Any]])
        #expect(
            Set(indexes.compactMap { $0["IndexName"] as? String }) == [
                "GSI1-ApplicationId-LogTimestamp", "GSI2-CorrelationId-LogTimestamp", "GSI3-ErrorStatus-LogTimestamp",
            ])
        let declared = Set(
            (logTable["AttributeDefinitions"] as? [[String: Any]] ?? []).compactMap { $0["AttributeName"] as? String })
        #expect(declared == ["PK", "SK", "ApplicationId", "CorrelationId", "ErrorStatus", "LogTimestamp"])
    }
}
