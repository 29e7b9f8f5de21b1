import Testing

@testable import Shared

@Suite("Debezium topic layout")
struct DebeziumTopicLayoutTests {
    let layout = DebeziumTopicLayout(prefix: "PostgreSQL_server")

    @Test func tableTopicsNameTheirTable() {
        #expect(layout.tableTopic(schema: "public", table: "customers") == "PostgreSQL_server.public.customers")
        #expect(layout.table(ofTopic: "PostgreSQL_server.public.customers")! == ("public", "customers"))
        #expect(layout.table(ofTopic: "PostgreSQL_server.dbo.Order_Details")! == ("dbo", "Order_Details"))
    }

    @Test func transactionHeartbeatMessageAndOwnTopicsAreNotTables() {
        for topic in [
            layout.transactionTopic, layout.heartbeatTopic, "PostgreSQL_server.message", "PostgreSQL_server.ferry.dlq",
            "PostgreSQL_server.a.b.c", "PostgreSQL_server..t", "Other.public.customers", "PostgreSQL_server",
        ] {
            #expect(!layout.isTableTopic(topic), "\(topic)")
        }
        #expect(layout.transactionTopic == "PostgreSQL_server.transaction")
        #expect(layout.heartbeatTopic == "__debezium-heartbeat.PostgreSQL_server")
    }
}
