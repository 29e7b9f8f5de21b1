import Testing

@testable import Capture

@Suite("SQL identifier quoting")
struct SQLIdentifierTests {
    @Test func quotesAndKeepsCase() {
        #expect(SQLIdentifier.quote("Payments") == "\"Payments\"")
        #expect(SQLIdentifier.quote(schema: "dbo", name: "IntegrationLogs") == "\"dbo\".\"IntegrationLogs\"")
    }

    @Test func doublesEmbeddedQuotes() {
        #expect(SQLIdentifier.quote("odd\"name") == "\"odd\"\"name\"")
        #expect(SQLIdentifier.quote("\"") == "\"\"\"\"")
        #expect(SQLIdentifier.quote("a.b; DROP TABLE x") == "\"a.b; DROP TABLE x\"")
    }

    @Test func qualifiedNamesPrintPlainAndQuoteForSQL() {
        let name = QualifiedTableName(schema: "dbo", name: "Pay\"ments")
        #expect(name.description == "dbo.Pay\"ments")
        #expect(name.quoted == "\"dbo\".\"Pay\"\"ments\"")
    }
}
