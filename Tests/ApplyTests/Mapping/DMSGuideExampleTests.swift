import Shared
import Testing

@testable import Apply

/// The examples of the DMS guide's "Using object mapping to migrate data to DynamoDB".
@Suite("DMS guide object-mapping examples")
struct DMSGuideExampleTests {
    static func customerMappings(layout: String) -> String {
        """
        {
          "rules": [
            {
              "rule-type": "selection", "rule-id": "1", "rule-name": "1",
              "object-locator": {"schema-name": "test", "table-name": "%"},
              "rule-action": "include"
            },
            {
              "rule-type": "object-mapping", "rule-id": "2", "rule-name": "TransformToDDB",
              "rule-action": "\(layout)",
              "object-locator": {"schema-name": "test", "table-name": "customer"},
              "target-table-name": "customer_t",
              "mapping-parameters": {
                "partition-key-name": "CustomerName",
                "exclude-columns": ["FirstName", "LastName", "HomeAddress", "HomePhone", "WorkAddress", "WorkPhone"],
                "attribute-mappings": [
                  {
                    "target-attribute-name": "CustomerName",
                    "attribute-type": "scalar",
                    "attribute-sub-type": "string",
                    "value": "${FirstName},${LastName}"
                  },
                  {
                    "target-attribute-name": "ContactDetails",
                    "attribute-type": "document",
                    "attribute-sub-type": "dynamodb-map",
                    "value": {
                      "M": {
                        "Home": {"M": {"Address": {"S": "${HomeAddress}"}, "Phone": {"S": "${HomePhone}"}}},
                        "Work": {"M": {"Address": {"S": "${WorkAddress}"}, "Phone": {"S": "${WorkPhone}"}}}
                      }
                    }
                  }
                ]
              }
            }
          ]
        }
        """
    }

    static let customer = """
        {"FirstName": "Randy", "LastName": "Marsh", "NickName": "Randy-M", "income": 50000,
         "HomeAddress": "221B Baker Street", "HomePhone": "1234567890",
         "WorkAddress": "31 Spooner Street, Quahog", "WorkPhone": "9876543210"}
        """

    static let contactDetails = DynamoDBAttributeValue.m([
        "Home": .m(["Address": .s("221B Baker Street"), "Phone": .s("1234567890")]),
        "Work": .m(["Address": .s("31 Spooner Street, Quahog"), "Phone": .s("9876543210")]),
    ])

    @Test func mapRecordToRecordKeepsTheColumnsNotExcluded() throws {
        let mappings = try tableMappings(Self.customerMappings(layout: "map-record-to-record"))
        let mapper = try ItemMapper(mappings: mappings, schema: "test", table: "customer")
        let item = try mapper.item(for: row(Self.customer), types: [])
        #expect(mapper.targetTableName == "customer_t")
        #expect(
            item == [
                "CustomerName": .s("Randy,Marsh"), "ContactDetails": Self.contactDetails,
                "NickName": .s("Randy-M"), "income": .n("50000"),
            ])
    }

    @Test func mapRecordToDocumentPutsThoseColumnsUnderDoc() throws {
        let mappings = try tableMappings(Self.customerMappings(layout: "map-record-to-document"))
        let mapper = try ItemMapper(mappings: mappings, schema: "test", table: "customer")
        let item = try mapper.item(for: row(Self.customer), types: [])
        #expect(
            item == [
                "CustomerName": .s("Randy,Marsh"), "ContactDetails": Self.contactDetails,
                "_doc": .m(["NickName": .s("Randy-M"), "income": .n("50000")]),
            ])
        // Where limited LOB mode's truncation attribute finds a column's value: an excluded column has none.
        #expect(mapper.attributePaths(ofColumns: ["FirstName", "NickName"]) == ["_doc.NickName"])
    }

    @Test func mapRecordToDocumentKeepsKeyColumnsAtTheTop() throws {
        let mappings = try tableMappings(
            document(
                withRules: """
                    {"rule-type": "object-mapping", "rule-id": "2", "rule-action": "map-record-to-document",
                     "object-locator": {"schema-name": "dbo", "table-name": "Payments"},
                     "mapping-parameters": {"partition-key-name": "PaymentId"}}
                    """))
        let mapper = try ItemMapper(mappings: mappings, schema: "dbo", table: "Payments")
        let item = try mapper.item(for: row(#"{"PaymentId": 1, "PaymentAmount": 9.99}"#), types: [])
        #expect(item == ["PaymentId": .n("1"), "_doc": .m(["PaymentAmount": .n("9.99")])])
        #expect(mapper.attributePaths(ofColumns: ["PaymentId", "PaymentAmount"]) == ["PaymentId", "_doc.PaymentAmount"])
        #expect(try mapper.key(for: row(#"{"PaymentId": 1}"#), types: []) == ["PaymentId": .n("1")])
    }

    @Test func documentTemplateOverANullColumnLeavesThatEntryOut() throws {
        let mappings = try tableMappings(Self.customerMappings(layout: "map-record-to-record"))
        let mapper = try ItemMapper(mappings: mappings, schema: "test", table: "customer")
        let customer = Self.customer.replacing(#""WorkPhone": "9876543210""#, with: #""WorkPhone": null"#)
        let item = try mapper.item(for: row(customer), types: [])
        #expect(
            item["ContactDetails"]
                == .m([
                    "Home": .m(["Address": .s("221B Baker Street"), "Phone": .s("1234567890")]),
                    "Work": .m(["Address": .s("31 Spooner Street, Quahog")]),
                ]))
    }

    /// The guide's second form: a sort key from a column of the same name, and the contact details as a
    /// JSON string built by a scalar template.
    @Test func scalarTemplatesBuildSortKeyAndJSONText() throws {
        let mappings = try tableMappings(
            document(
                withRules: #"""
                    {
                      "rule-type": "object-mapping", "rule-id": "2", "rule-name": "TransformToDDB",
                      "rule-action": "map-record-to-record",
                      "object-locator": {"schema-name": "test", "table-name": "customer"},
                      "target-table-name": "customer_t",
                      "mapping-parameters": {
                        "partition-key-name": "CustomerName",
                        "sort-key-name": "StoreId",
                        "exclude-columns": ["FirstName", "LastName", "HomeAddress", "HomePhone", "WorkAddress", "WorkPhone"],
                        "attribute-mappings": [
                          {"target-attribute-name": "CustomerName", "attribute-type": "scalar",
                           "attribute-sub-type": "string", "value": "${FirstName},${LastName}"},
                          {"target-attribute-name": "StoreId", "attribute-type": "scalar",
                           "attribute-sub-type": "string", "value": "${StoreId}"},
                          {"target-attribute-name": "ContactDetails", "attribute-type": "scalar",
                           "attribute-sub-type": "string",
                           "value": "{\"Name\":\"${FirstName}\",\"Home\":{\"Address\":\"${HomeAddress}\",\"Phone\":\"${HomePhone}\"}, \"Work\":{\"Address\":\"${WorkAddress}\",\"Phone\":\"${WorkPhone}\"}}"}
                        ]
                      }
                    }
                    """#))
        let mapper = try ItemMapper(mappings: mappings, schema: "test", table: "customer")
        let customer = try row(
            """
            {"FirstName": "Randy", "LastName": "Marsh", "StoreId": 5, "HomeAddress": "221B Baker Street",
             "HomePhone": "1234567890", "WorkAddress": "31 Spooner Street, Quahog", "WorkPhone": "9876543210",
             "DateOfBirth": "02/29/1988"}
            """)
        let item = try mapper.item(for: customer, types: types(["StoreId": "int4", "DateOfBirth": "varchar"]))
        #expect(mapper.keyAttributeNames == ["CustomerName", "StoreId"])
        #expect(
            item == [
                "CustomerName": .s("Randy,Marsh"),
                "StoreId": .s("5"),  // the mapping (sub-type string) wins over the column of the same name
                "ContactDetails": .s(
                    #"{"Name":"Randy","Home":{"Address":"221B Baker Street","Phone":"1234567890"}, "#
                        + #""Work":{"Address":"31 Spooner Street, Quahog","Phone":"9876543210"}}"#),
                "DateOfBirth": .s("02/29/1988"),
            ])
    }

    @Test func numberSubTypeMakesAnN() throws {
        let mappings = try tableMappings(
            document(
                withRules: """
                    {"rule-type": "object-mapping", "rule-id": "2", "rule-action": "map-record-to-record",
                     "object-locator": {"schema-name": "s", "table-name": "t"},
                     "mapping-parameters": {"partition-key-name": "Id", "exclude-columns": ["a", "b"],
                       "attribute-mappings": [
                         {"target-attribute-name": "Id", "attribute-type": "scalar", "attribute-sub-type": "number",
                          "value": "${a}${b}"}]}}
                    """))
        let mapper = try ItemMapper(mappings: mappings, schema: "s", table: "t")
        #expect(try mapper.item(for: row(#"{"a": 12, "b": "34"}"#), types: []) == ["Id": .n("1234")])
        let notANumber = try row(#"{"a": 12, "b": "x"}"#)
        #expect(
            mappingError { () throws(MappingError) in try mapper.item(for: notANumber, types: []) }
                == .invalidValue(ruleId: "2", attribute: "Id", value: "12x", expected: "a DynamoDB number"))
    }
}
