import ArgumentParser
import Foundation
import Logging
import Shared

/// Measures Ferry's own components; `bench/*.sh` runs it beside the reference tools and prints the ratios.
@main
struct FerryBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ferry-bench",
        abstract: "Ferry micro-benchmarks (run through bench/*.sh).",
        subcommands: [KafkaProduceBench.self, KafkaConsumeBench.self]
    )
}

struct KafkaOptions: ParsableArguments {
    @Option(help: "Bootstrap servers.") var brokers: String
    @Option(help: "Topic to write or read.") var topic: String
    @Option(help: "librdkafka property (key=value), repeatable.") var X: [String] = []

    func configuration() throws -> KafkaConfiguration {
        var configuration = KafkaConfiguration(brokers: brokers)
        try configuration.apply(overrides: X)
        return configuration
    }
}

/// Prints one result line the shell script parses: `<name> <messages> <seconds> <messages/s>`.
func report(_ name: String, messages: Int, since start: ContinuousClock.Instant) {
    let elapsed = start.duration(to: .now)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print(String(format: "%@ %d %.3f %.0f", name, messages, seconds, Double(messages) / seconds))
}

struct KafkaProduceBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka-produce", abstract: "Produces every line of a file as one record; waits for all delivery reports.")

    @OptionGroup var kafka: KafkaOptions
    @Option(help: "File with one payload per line.") var payloads: String

    func run() async throws {
        let lines = try String(contentsOfFile: payloads, encoding: .utf8).split(separator: "\n").map { Array($0.utf8) }
        let tally = KafkaDeliveryTally()
        let producer = try KafkaProducer(configuration: try kafka.configuration(), logger: Logger(label: "bench"), onEvent: tally.record)
        let start = ContinuousClock.now
        try await producer.withRunning {
            for (batchIndex, batch) in lines.chunked(into: 10_000).enumerated() {
                try await producer.send(
                    batch.enumerated().map { offset, line in
                        KafkaOutgoingMessage(topic: kafka.topic, key: nil, value: line, ticket: UInt64(batchIndex * 10_000 + offset + 1))
                    })
            }
            try await producer.flush(timeout: .seconds(300))
        }
        if let error = tally.failures.first?.error { throw error }
        report("ferry-produce", messages: tally.reported, since: start)
    }
}

struct KafkaConsumeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka-consume", abstract: "Reads `count` records from the beginning of every partition of a topic.")

    @OptionGroup var kafka: KafkaOptions
    @Option(help: "Records to read.") var count: Int

    func run() async throws {
        let consumer = try KafkaConsumer(configuration: try kafka.configuration(), logger: Logger(label: "bench"))
        let partitions = try await consumer.topics().first { $0.name == kafka.topic }?.partitions ?? []
        try await consumer.assign(partitions.map { TopicPartitionOffset(topic: kafka.topic, partition: $0, offset: TopicPartitionOffset.beginning) })
        let start = ContinuousClock.now
        var received = 0
        var bytes = 0
        while received < count {
            let messages = try await consumer.poll(maxMessages: 4096, timeout: .seconds(1))
            received += messages.count
            for message in messages { bytes += message.value?.readableBytes ?? 0 }
        }
        report("ferry-consume", messages: received, since: start)
    }
}

extension Array {
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
