import Shared
import Testing

@testable import Apply

/// A complete LoanApp table-mappings.json as the guide's Q Developer step would produce it: both tables
/// selected, IntegrationLogs keyed PK/SK with its three GSIs' keys filled from templates, Payments keyed
/// by PaymentId.
@Suite("LoanApp mapping")
struct LoanAppMappingTests {
    static let mappingsJSON = """
        {
          "rules": [
            {"rule-type": "selection", "rule-id": "1", "rule-name": "include-integration-logs",
             "object-locator": {"schema-name": "dbo", "table-name": "IntegrationLogs"}, "rule-action": "include"},
            {"rule-type": "selection", "rule-id": "2", "rule-name": "include-payments",
             "object-locator": {"schema-name": "dbo", "table-name": "Payments"}, "rule-action": "include"},
            {
              "rule-type": "object-mapping", "rule-id": "3", "rule-name": "TransformIntegrationLogs",
              "rule-action": "map-record-to-record", "rule-target": "table",
              "object-locator": {"schema-name": "dbo", "table-name": "IntegrationLogs"},
              "target-table-name": "LoanApp-IntegrationLogs-dev",
              "mapping-parameters": {
                "partition-key-name": "PK",
                "sort-key-name": "SK",
                "attribute-mappings": [
                  {"target-attribute-name": "PK", "attribute-type": "scalar", "attribute-sub-type": "string",
                   "value": "APP#${ApplicationId}"},
                  {"target-attribute-name": "SK", "attribute-type": "scalar", "attribute-sub-type": "string",
                   "value": "${LogTimestamp}#${LogId}"},
                  {"target-attribute-name": "GSI1PK", "attribute-type": "scalar", "attribute-sub-type": "string",
                   "value": "APP#${ApplicationId}"},
                  {"target-attribute-name": "GSI1SK", "attribute-type": "scalar", "attribute-sub-type": "string",
                   "value": "${LogTimestamp}"},
                  {"target-attribute-name": "GSI2PK", "attribute-type": "scalar", "attribute-sub-type": "string",
                   "value": "CORR#${CorrelationId}"},
                  {"target-attribute-name": "GSI2SK", "attribute-type": "scalar", "attribute-sub-type": "string",
                   "value": "${LogTimestamp}"},
                  {"target-attribute-name": "GSI3PK", "attribute-type": "scalar", "attribute-sub-type": "string",
                   "value": "ERR#${ErrorStatus}"},
                  {"target-attribute-name": "GSI3SK", "attribute-type": "scalar", "attribute-sub-type": "string",
                   "value": "${LogTimestamp}"}
                ]
              }
            },
            {
              "rule-type": "object-mapping", "rule-id": "4", "rule-name": "TransformPayments",
              "rule-action": "map-record-to-record",
              "object-locator": {"schema-name": "dbo", "table-name": "Payments"},
              "target-table-name": "LoanApp-Payments-dev",
              "mapping-parameters": {"partition-key-name": "PaymentId"}
            }
          ]
        }
        """

    static let logTypes = types([
        "LogId": "int4", "LogTimestamp": "timestamp", "ApplicationId": "int4", "CorrelationId": "varchar",
        "ErrorStatus": "varchar",
    ])

    let mappings: TableMappings
    let logs: ItemMapper
    let payments: ItemMapper

    init() throws {
        mappings = try tableMappings(Self.mappingsJSON)
        logs = try ItemMapper(
            mappings: mappings, schema: "dbo", table: "IntegrationLogs",
            keySchema: [KeyAttribute(name: "PK", type: .string), KeyAttribute(name: "SK", type: .string)])
        payments = try ItemMapper(
            mappings: mappings, schema: "dbo", table: "Payments",
            keySchema: [KeyAttribute(name: "PaymentId", type: .number)])
    }

    @Test func integrationLogFillsKeysAndAllThreeIndexes() throws {
        let log = try row(
            """
            {"LogId": 7, "LogTimestamp": "2024-11-24T15:33:20.123456", "ApplicationId": 42,
             "CorrelationId": "c-9", "ErrorStatus": "TIMEOUT"}
            """)
        let item = try logs.item(for: log, types: Self.logTypes)
        #expect(logs.targetTableName == "LoanApp-IntegrationLogs-dev")
        #expect(
            item == [
                "PK": .s("APP#42"), "SK": .s("2024-11-24T15:33:20.123456#7"),
                "GSI1PK": .s("APP#42"), "GSI1SK": .s("2024-11-24T15:33:20.123456"),
                "GSI2PK": .s("CORR#c-9"), "GSI2SK": .s("2024-11-24T15:33:20.123456"),
                "GSI3PK": .s("ERR#TIMEOUT"), "GSI3SK": .s("2024-11-24T15:33:20.123456"),
                // map-record-to-record: every column is an attribute too.
                "LogId": .n("7"), "LogTimestamp": .s("2024-11-24T15:33:20.123456"), "ApplicationId": .n("42"),
                "CorrelationId": .s("c-9"), "ErrorStatus": .s("TIMEOUT"),
            ])
    }

    @Test func nullErrorStatusLeavesTheSparseIndexKeyOut() throws {
        let log = try row(
            """
            {"LogId": 8, "LogTimestamp": "2024-11-24T15:33:21", "ApplicationId": 42,
             "CorrelationId": "c-9", "ErrorStatus": null}
            """)
        let item = try logs.item(for: log, types: Self.logTypes)
        #expect(item["GSI3PK"] == nil)
        #expect(item["ErrorStatus"] == nil)
        // Timestamps in six-digit form (TimestampFormat.fixed), inside templates too.
        #expect(item["GSI3SK"] == .s("2024-11-24T15:33:21.000000"))
        #expect(item["PK"] == .s("APP#42"))
    }

    @Test func nullColumnInAKeyTemplateIsAMappingError() throws {
        let log = try row(#"{"LogId": 9, "LogTimestamp": "2024-11-24T15:33:22", "ApplicationId": null}"#)
        let error = mappingError { () throws(MappingError) in try logs.item(for: log, types: Self.logTypes) }
        #expect(error == .missingColumn(ruleId: "3", column: "ApplicationId"))
        #expect(error?.description == "rule-id 3 needs column 'ApplicationId', which the row lacks or holds NULL")
    }

    @Test func templateNamingAnAbsentColumnIsAMappingError() throws {
        let log = try row(#"{"LogId": 9, "LogTimestamp": "2024-11-24T15:33:22", "ApplicationId": 1}"#)
        let error = mappingError { () throws(MappingError) in try logs.item(for: log, types: Self.logTypes) }
        #expect(error == .missingColumn(ruleId: "3", column: "CorrelationId"))
    }

    @Test func deleteKeyNeedsOnlyTheKeyTemplatesColumns() throws {
        let before = try row(#"{"LogId": 7, "LogTimestamp": "2024-11-24T15:33:20", "ApplicationId": 42}"#)
        let key = try logs.key(for: before, types: Self.logTypes)
        #expect(key == ["PK": .s("APP#42"), "SK": .s("2024-11-24T15:33:20.000000#7")])

        // A delete whose record carries only the primary key cannot name this item: its key needs more.
        let primaryKeyOnly = try row(#"{"LogId": 7}"#)
        #expect(
            mappingError { () throws(MappingError) in try logs.key(for: primaryKeyOnly, types: Self.logTypes) }
                == .missingColumn(ruleId: "3", column: "ApplicationId"))
    }

    @Test func paymentKeepsExactAmountsAndIsKeyedByPaymentId() throws {
        let payment = try row(
            #"{"PaymentId": 42, "CustomerId": 3, "PaymentDate": "2024-11-24T10:00:00", "PaymentAmount": 12.30}"#)
        let paymentTypes = types([
            "PaymentId": "int4", "CustomerId": "int4", "PaymentDate": "timestamp", "PaymentAmount": "numeric",
        ])
        let item = try payments.item(for: payment, types: paymentTypes)
        #expect(payments.targetTableName == "LoanApp-Payments-dev")
        #expect(
            item == [
                "PaymentId": .n("42"), "CustomerId": .n("3"), "PaymentDate": .s("2024-11-24T10:00:00.000000"),
                "PaymentAmount": .n("12.30"),
            ])
        #expect(try payments.key(for: row(#"{"PaymentId": 42}"#), types: paymentTypes) == ["PaymentId": .n("42")])
    }

    @Test func keySchemaThatDisagreesWithTheRuleFailsAtStartUp() throws {
        #expect(
            throws: MappingConfigurationError.keySchemaMismatch(ruleId: "4", mapped: ["PaymentId"], tableKeys: ["Id"])
        ) {
            try ItemMapper(
                mappings: mappings, schema: "dbo", table: "Payments",
                keySchema: [KeyAttribute(name: "Id", type: .number)])
        }
    }
}
