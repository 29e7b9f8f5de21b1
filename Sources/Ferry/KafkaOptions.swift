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

    @Option(
        help: """
            none, or aws-msk-iam: Amazon MSK IAM access control — SASL_SSL, OAUTHBEARER tokens signed with the AWS \
            credentials chain (or FERRY_KAFKA_AUTH).
            """)
    var kafkaAuth: KafkaAuthentication?

    /// The configuration: the command's `defaults`, then `--kafka-auth`'s settings, then the properties file, then
    /// `--brokers`, then `-X`.
    func configuration(defaults: [String: String] = [:]) throws -> KafkaConfiguration {
        let servers = try setting(brokers, flag: "--brokers", variable: "FERRY_BROKERS")
        var kafka = KafkaConfiguration(brokers: servers, defaults)
        let environment = ProcessInfo.processInfo.environment
        try authentication(environment).configure(&kafka, brokers: servers, environment: environment)
        if let path = environment["FERRY_KAFKA_PROPERTIES_FILE"], !path.isEmpty {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw ValidationError("cannot read the Kafka properties file \(path) (FERRY_KAFKA_PROPERTIES_FILE)")
            }
            try kafka.apply(propertiesFile: String(decoding: contents, as: UTF8.self), path: path)
            kafka["bootstrap.servers"] = servers
        }
        try kafka.apply(overrides: properties)
        return kafka
    }

    private func authentication(_ environment: [String: String]) throws -> KafkaAuthentication {
        if let kafkaAuth { return kafkaAuth }
        guard let value = environment["FERRY_KAFKA_AUTH"], !value.isEmpty else { return .none }
        guard let authentication = KafkaAuthentication(rawValue: value) else {
            let allowed = KafkaAuthentication.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("FERRY_KAFKA_AUTH is '\(value)'; expected one of \(allowed)")
        }
        return authentication
    }
}
