import Testing

@testable import Shared

#if canImport(Glibc)
import Glibc
#endif

@Suite("Topic layout: one naming rule for every topic of a prefix")
struct TopicLayoutTests {
    let layout = TopicLayout(prefix: "shop.v1")

    @Test func ordinaryNamesKeepTheirTopics() {
        #expect(layout.tableTopic(schema: "public", table: "orders") == "shop.v1.public.orders")
        #expect(layout.tableTopic(schema: "dbo", table: "Payments") == "shop.v1.dbo.Payments")
        #expect(layout.tableTopic(schema: "public", table: "order-items") == "shop.v1.public.order-items")
        #expect(layout.tableTopic(schema: "public", table: "order_items_2") == "shop.v1.public.order_items_2")
        #expect(layout.stateTopic == "shop.v1.ferry.state")
        #expect(layout.deadLetterTopic == "shop.v1.ferry.dlq")
    }

    @Test func namesKafkaRefusesAreEscaped() {
        #expect(layout.tableTopic(schema: "public", table: "Order Details") == "shop.v1.public.Order-20Details")
        #expect(layout.tableTopic(schema: "a.b", table: "c") == "shop.v1.a-2eb.c")
        #expect(layout.tableTopic(schema: "public", table: "prix€") == "shop.v1.public.prix-e2-82-ac")
        // A `-` before two lowercase hex digits would read as an escape: it is escaped itself.
        #expect(layout.tableTopic(schema: "public", table: "x-1f") == "shop.v1.public.x-2d1f")
        #expect(layout.tableTopic(schema: "public", table: "x-1F") == "shop.v1.public.x-1F")
        #expect(layout.tableTopic(schema: "public", table: "x--") == "shop.v1.public.x--")
    }

    @Test func aSchemaNamedFerryNeverMeetsFerrysOwnTopics() {
        let topic = layout.tableTopic(schema: "ferry", table: "state")
        #expect(topic == "shop.v1.-66erry.state")
        #expect(topic != layout.stateTopic)
        #expect(layout.table(ofTopic: topic)! == ("ferry", "state"))
        #expect(!layout.isTableTopic(layout.stateTopic))
        #expect(!layout.isTableTopic(layout.deadLetterTopic))
        #expect(layout.tableTopic(schema: "ferry2", table: "t") == "shop.v1.ferry2.t")
        #expect(layout.tableTopic(schema: "public", table: "ferry") == "shop.v1.public.ferry")
    }

    /// Names that differ only in what a careless rule would fold: each gets its own topic and reads back as itself.
    @Test func distinctTablesGetDistinctTopicsThatReadBack() {
        let names = [
            "orders", "Orders", "order-s", "order_s", "order.s", "order s", "order-2es", "order-2ds", "order-2Es",
            "-2e", ".", "-", "--", "-2d", "a-", "a-b", "a-bc", "a-bg", "é", "e\u{301}", "ferry", "-66erry", "_",
            "ferry.state", "x-1f", "x-2d1f", "\u{0}", "\"q\"",
        ]
        var seen: [String: (String, String)] = [:]
        for schema in names {
            for table in names {
                let topic = layout.tableTopic(schema: schema, table: table)
                #expect(seen[topic] == nil, "\(schema).\(table) and \(seen[topic].map { "\($0.0).\($0.1)" } ?? "") share \(topic)")
                seen[topic] = (schema, table)
                let back = layout.table(ofTopic: topic)
                #expect(back?.schema == schema && back?.table == table, "\(topic)")
                #expect(topic.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "." || $0 == "-" || $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) })
                #expect(topic.split(separator: ".", omittingEmptySubsequences: false).count == 4)
            }
        }
    }

    @Test func onlyThisPrefixsTableTopicsAreTableTopics() {
        let a = TopicLayout(prefix: "a")
        #expect(a.isTableTopic("a.public.t"))
        #expect(!a.isTableTopic("a.b.public.t"))  // prefix a.b's table public.t
        #expect(!a.isTableTopic("a.b.ferry.state"))
        #expect(!a.isTableTopic("a.ferry.state"))
        #expect(!a.isTableTopic("a.ferry.dlq"))
        #expect(!a.isTableTopic("ab.public.t"))
        #expect(!a.isTableTopic("a.public"))
        #expect(!a.isTableTopic("a.-70ublic.t"))  // not how `public` is written
        #expect(!a.isTableTopic("a.pub lic.t"))
        #expect(a.table(ofTopic: "a.public.Order-20Details")! == ("public", "Order Details"))
    }

    @Test func qualifiedNamesMayMeanAnySplit() {
        #expect(layout.tableTopics(named: "public.orders") == ["shop.v1.public.orders"])
        #expect(layout.tableTopics(named: "a.b.c") == ["shop.v1.a.b-2ec", "shop.v1.a-2eb.c"])
        #expect(layout.tableTopics(named: "orders").isEmpty)
    }

    /// librdkafka matches `^` subscriptions with POSIX extended regular expressions (regcomp), as here.
    @Test func subscriptionMatchesExactlyTheTableTopics() throws {
        let a = TopicLayout(prefix: "a.x")
        let matching = [
            "a.x.public.t", "a.x.f.t", "a.x.fe.t", "a.x.fer.t", "a.x.ferr.t", "a.x.ferryx.t", "a.x.xferry.t", "a.x.-66erry.state",
            "a.x.public.Order-20Details",
        ]
        let refused = ["a.x.ferry.state", "a.x.ferry.dlq", "a.x.b.public.t", "a.x.public", "aXx.public.t", "a.xy.public.t", "b.a.x.p.t"]
        var expression = regex_t()
        #expect(regcomp(&expression, a.subscription, REG_EXTENDED | REG_NOSUB) == 0)
        defer { regfree(&expression) }
        for topic in matching { #expect(regexec(&expression, topic, 0, nil, 0) == 0, "\(topic)") }
        for topic in refused { #expect(regexec(&expression, topic, 0, nil, 0) != 0, "\(topic)") }
    }

    @Test func prefixesKafkaRefusesAreNamed() {
        #expect(TopicLayout(prefix: "loanapp").prefixProblem == nil)
        #expect(TopicLayout(prefix: "shop.v1-eu_2").prefixProblem == nil)
        #expect(TopicLayout(prefix: "").prefixProblem == "the prefix is empty")
        #expect(TopicLayout(prefix: "my shop").prefixProblem?.contains("contains ' '") == true)
        #expect(TopicLayout(prefix: String(repeating: "p", count: 237)).prefixProblem == nil)
        #expect(TopicLayout(prefix: String(repeating: "p", count: 238)).prefixProblem?.contains("238 characters long") == true)
    }
}
