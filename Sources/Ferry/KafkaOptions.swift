import ArgumentParser
import Foundation
import Shared

/// The Kafka settings every command that talks to the brokers takes: where they are, and librdkafka properties —
/// first from the file `FERRY_KAFKA_PROPERTIES_FILE` names (so secrets such as `sasl.password` stay off command
/// lines and out of `ps`), then `-X`, which wins.
struct KafkaOptions: ParsableArguments {
    @Option(help: "Kafka bootstrap servers host:port,... (or FERRY_BROKERS).")
    var brokers: String?

    @Option(
        name: .customShort("X"),
        help: ArgumentHelp(
            "librdkafka property (TLS, SASL, tuning); repeatable. Applied after the key=value lines of the file "
                + "FERRY_KAFKA_PROPERTIES_FILE names (for secrets).",
            valueName: "key=value"))
    var properties: [String] = []

    /// The configuration: the command's `defaults`, then the properties file, then `--brokers`, then `-X`.
    func configuration(defaults: [String: String] = [:]) throws -> KafkaConfiguration {
        let servers = try setting(brokers, flag: "--brokers", variable: "FERRY_BROKERS")
        var kafka = KafkaConfiguration(brokers: servers, defaults)
        if let path = ProcessInfo.processInfo.environment["FERRY_KAFKA_PROPERTIES_FILE"], !path.isEmpty {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw ValidationError("cannot read the Kafka properties file \(path) (FERRY_KAFKA_PROPERTIES_FILE)")
            }
            try kafka.apply(propertiesFile: String(decoding: contents, as: UTF8.self), path: path)
            kafka["bootstrap.servers"] = servers
        }
        try kafka.apply(overrides: properties)
        return kafka
    }
}
