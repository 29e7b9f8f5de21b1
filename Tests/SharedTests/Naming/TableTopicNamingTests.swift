import Testing

@testable import Shared

/// Table topics as each input format names them: Ferry's escaped segments, Debezium's names as they are.
@Suite struct TableTopicNamingTests {
    let ferry = TableTopicNaming(format: .ferry, prefix: "shop")
    let debezium = TableTopicNaming(format: .debezium, prefix: "shop")

    @Test func aNameFerryEscapesIsDebeziumsAsItIs() {
        #expect(ferry.tableTopics(named: "public.audit-2024") == ["shop.public.audit-2d2024"])
        #expect(debezium.tableTopics(named: "public.audit-2024") == ["shop.public.audit-2024"])
        #expect(debezium.tableTopics(named: "a.b.c") == ["shop.a.b.c", "shop.a.b.c"])
        #expect(debezium.tableTopics(named: "orders").isEmpty)
        #expect(debezium.table(ofTopic: "shop.public.audit-2024")! == ("public", "audit-2024"))
    }

    @Test func neitherTakesTheOtherTopicsOfThePrefix() {
        for naming in [ferry, debezium] {
            #expect(naming.isTableTopic("shop.public.orders"))
            #expect(!naming.isTableTopic("shop.transaction"))
            #expect(!naming.isTableTopic("shop.ferry.dlq"))
            #expect(!naming.isTableTopic("__debezium-heartbeat.shop"))
            #expect(!naming.isTableTopic("shop.v2.public.orders"))
        }
        #expect(debezium.subscription == ferry.subscription)
    }
}
