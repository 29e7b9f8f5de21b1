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

    @Test func propertiesFileLinesApplyAndCommentsAreSkipped() throws {
        var configuration = KafkaConfiguration(brokers: "b:9092", ["acks": "all"])
        try configuration.apply(
            propertiesFile: "# MSK\r\n  security.protocol = SASL_SSL\n\n! also a comment\nsasl.password=p=w#rd \nacks=1",
            path: "/run/secrets/kafka")
        #expect(configuration["security.protocol"] == "SASL_SSL")
        #expect(configuration["sasl.password"] == "p=w#rd")  // only the first '=' splits; '#' inside a value stays
        #expect(configuration["acks"] == "1")
        #expect(configuration.properties.count == 4)
        let error = #expect(throws: KafkaError.self) {
            try configuration.apply(propertiesFile: "a=b\nsasl.password hunter2", path: "kafka.properties")
        }
        #expect(error?.message == "kafka.properties line 2: expected key=value")  // the line, never its text
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
