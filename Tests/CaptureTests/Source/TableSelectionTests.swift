import Testing

@testable import Capture

@Suite("Table selection: --tables syntax and resolution against the catalog")
struct TableSelectionTests {
    private func name(_ schema: String, _ table: String) -> QualifiedTableName {
        QualifiedTableName(schema: schema, name: table)
    }

    @Test func parsesNamesWithoutFoldingCase() throws {
        #expect(
            try TableListSyntax.parse(" public.orders , dbo.IntegrationLogs,")
                == [name("public", "orders"), name("dbo", "IntegrationLogs")])
    }

    @Test func quotedPartsMayHoldDotsCommasAndQuotes() throws {
        #expect(
            try TableListSyntax.parse(#""my.schema"."odd,""name""",x.y"#)
                == [name("my.schema", "odd,\"name\""), name("x", "y")])
    }

    @Test(arguments: [
        ("orders", "the schema is missing"),
        ("a.b.c", "it has more than one unquoted dot"),
        ("\"a.b", "a double quote is not closed"),
        ("a.", "a name is empty"),
        ("a\"x\".b", "quotes must surround the whole name"),
    ])
    func rejectsMalformedEntries(list: String, reason: String) {
        let error = #expect(throws: TableListSyntaxError.self) { try TableListSyntax.parse(list) }
        #expect(error?.reason == reason)
        #expect(error?.description.contains("Write schema.table entries separated by commas") == true)
    }

    private let catalog = [
        CatalogTable(name: QualifiedTableName(schema: "dbo", name: "Payments"), oid: 1, isPartition: false),
        CatalogTable(name: QualifiedTableName(schema: "dbo", name: "Events"), oid: 2, isPartition: false),
        CatalogTable(name: QualifiedTableName(schema: "dbo", name: "Events_2024"), oid: 3, isPartition: true),
    ]

    @Test func namesResolveExactlyAndReportTheMissing() {
        let selection = TableSelection.names([name("dbo", "Payments"), name("dbo", "payments"), name("dbo", "Payments")])
        let (selected, missing) = selection.resolve(against: catalog)
        #expect(selected.map(\.oid) == [1])
        #expect(missing == [name("dbo", "payments")])
    }

    @Test func predicatesSkipPartitionsButNamesMayPickThem() {
        let rule = TableSelection.matching { schema, _ in schema == "dbo" }
        #expect(rule.resolve(against: catalog).selected.map(\.oid) == [1, 2])
        #expect(TableSelection.names([name("dbo", "Events_2024")]).resolve(against: catalog).selected.map(\.oid) == [3])
    }

    @Test func suggestsCaseVariantsOtherSchemasAndTypos() {
        let tables = [name("dbo", "Payments"), name("public", "payments"), name("dbo", "Paymnts"), name("dbo", "Loans")]
        #expect(
            SimilarTableNames.suggestions(for: name("dbo", "payments"), among: tables)
                == [name("dbo", "Payments"), name("public", "payments"), name("dbo", "Paymnts")])
        #expect(SimilarTableNames.suggestions(for: name("sales", "invoices"), among: tables).isEmpty)
    }
}
