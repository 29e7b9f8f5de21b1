import Testing

@testable import Shared

@Suite("Kafka configuration pass-through")
struct KafkaConfigurationTests {
    @Test func overridesPassThroughAndDefaultsDoNotReplaceThem() throws {
        var configuration = KafkaConfiguration(brokers: "b1:9092,b2:9092")
        try configuration.apply(overrides: ["security.protocol=SASL_SSL", "sasl.mechanism=PLAIN", "client.id=a=b"])
        let withDefaults = configuration.withDefault("client.id", "ferry").withDefault("acks", "all")
        #expect(withDefaults["bootstrap.servers"] == "b1:9092,b2:9092")
        #expect(withDefaults["security.protocol"] == "SASL_SSL")
        #expect(withDefaults["client.id"] == "a=b")  // the user's value wins; only the first '=' splits
        #expect(withDefaults["acks"] == "all")
    }

    @Test(arguments: ["no-equals-sign", "=value"])
    func rejectsMalformedOverrides(entry: String) {
        var configuration = KafkaConfiguration(brokers: "b:9092")
        let error = #expect(throws: KafkaError.self) { try configuration.apply(overrides: [entry]) }
        #expect(error?.message.contains(entry) == true)
    }

    @Test func descriptionNeverShowsSecrets() throws {
        var configuration = KafkaConfiguration(brokers: "b:9092")
        try configuration.apply(overrides: [
            "sasl.password=hunter2", "ssl.key.password=s3cret", "sasl.oauthbearer.client.secret=abc123", "sasl.username=alice",
        ])
        let text = configuration.description
        for secret in ["hunter2", "s3cret", "abc123"] { #expect(!text.contains(secret)) }
        #expect(text.contains("sasl.username=alice"))
        #expect(text.contains("sasl.password=<redacted>"))
    }
}
