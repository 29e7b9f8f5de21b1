import Shared
import Testing

@testable import Apply

@Suite("Apply options")
struct ApplyOptionsTests {
    @Test func subscriptionTakesTableTopicsNotFerrysOwn() throws {
        let mappings = try TableMappings.parse(Array(
            #"{"rules":[{"rule-type":"selection","rule-id":"1","rule-name":"1","object-locator":{"schema-name":"%","table-name":"%"},"rule-action":"include"}]}"#.utf8))
        let options = ApplyOptions(
            kafka: KafkaConfiguration(brokers: "b", ["group.id": "g", "security.protocol": "SSL"]), prefix: "shop.v1",
            mappings: mappings)
        #expect(options.isTableTopic("shop.v1.public.orders"))
        #expect(!options.isTableTopic("shop.v1.ferry.dlq"))
        #expect(!options.isTableTopic("other.public.orders"))
        #expect(!options.isTableTopic("shop.v1.eu.public.orders"))  // prefix shop.v1.eu's
        #expect(options.isTableTopic("shop.v1.-66erry.dlq"))  // table dlq of schema ferry
        #expect(options.subscription == options.topics.subscription)
        #expect(options.sourceTable(ofTopic: "shop.v1.public.Order-20Details") == "public.Order Details")
        #expect(options.sourceTable(ofTopic: "shop.v1.public.orders") == "public.orders")
        #expect(options.producerConfiguration.properties == ["bootstrap.servers": "b", "security.protocol": "SSL"])
    }

    /// The dead-letter producer takes a table topic's largest record plus its headers.
    @Test func theDeadLetterProducerHasRoomForTheHeaders() throws {
        let mappings = try TableMappings.parse(Array(
            #"{"rules":[{"rule-type":"selection","rule-id":"1","rule-name":"1","object-locator":{"schema-name":"%","table-name":"%"},"rule-action":"include"}]}"#.utf8))
        var options = ApplyOptions(kafka: KafkaConfiguration(brokers: "b", ["group.id": "g"]), prefix: "p", mappings: mappings)
        #expect(options.deadLetterProducerConfiguration["message.max.bytes"] == String(1_000_000 + DeadLetter.headerRoom))
        options.kafka["message.max.bytes"] = "20000"
        #expect(options.deadLetterProducerConfiguration["message.max.bytes"] == String(20_000 + DeadLetter.headerRoom))
        #expect(options.deadLetterProducerConfiguration["group.id"] == nil)
    }
}
