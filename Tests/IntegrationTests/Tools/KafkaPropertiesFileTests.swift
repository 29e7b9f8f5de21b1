import Foundation
import Testing

/// `FERRY_KAFKA_PROPERTIES_FILE`: librdkafka properties (secrets) from a file instead of the command line.
@Suite("Kafka properties file")
struct KafkaPropertiesFileTests {
    @Test func theFileIsReadAndABadLineIsNamed() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(TestStack.uniqueName("kprops"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("kafka.properties")
        let command = ["tail", "no_such_prefix", "--brokers", try TestStack.brokers, "--limit", "1"]

        // A value librdkafka refuses shows the file's lines reach it.
        try Data("# test\nsecurity.protocol = carrier-pigeon\n".utf8).write(to: file)
        let refused = try await FerryRun.run(command, in: directory, environment: ["FERRY_KAFKA_PROPERTIES_FILE": file.path])
        #expect(refused.status != 0)
        #expect(refused.errors.contains("security.protocol"), "\(refused.errors)")

        try Data("sasl.password hunter2\n".utf8).write(to: file)
        let malformed = try await FerryRun.run(command, in: directory, environment: ["FERRY_KAFKA_PROPERTIES_FILE": file.path])
        #expect(malformed.status != 0)
        #expect(malformed.errors.contains("\(file.path) line 1: expected key=value"), "\(malformed.errors)")
        #expect(!malformed.errors.contains("hunter2"))

        let missing = try await FerryRun.run(
            command, in: directory, environment: ["FERRY_KAFKA_PROPERTIES_FILE": directory.appendingPathComponent("none").path])
        #expect(missing.status != 0 && missing.errors.contains("cannot read the Kafka properties file"), "\(missing.errors)")
    }
}
