import Foundation
import Logging
import Shared

/// The local stack's coordinates (`scripts/stack.sh start` writes them; `source` its env file), and helpers that
/// give each test its own database, slot, topics and group so tests run in any order and in parallel.
enum TestStack {
    struct Missing: Error, CustomStringConvertible {
        var variable: String
        var description: String {
            "\(variable) is not set: start the local stack with `scripts/stack.sh start` and "
                + "`source \"$(scripts/stack.sh envfile)\"`, or run the whole suite with `scripts/test.sh`"
        }
    }

    static func variable(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { throw Missing(variable: name) }
        return value
    }

    static var postgresURL: String { get throws { try variable("FERRY_TEST_PG_URL") } }
    static var brokers: String { get throws { try variable("FERRY_TEST_BROKERS") } }

    static var logger: Logger {
        var logger = Logger(label: "ferry.tests")
        logger.logLevel = .warning
        return logger
    }

    /// A name no other test uses: `<prefix>_<8 random hex digits>` (valid as a database, slot or topic name).
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)_\(String(UInt32.random(in: .min ... .max), radix: 16))"
    }

    /// `postgresURL` with its database replaced.
    static func postgresURL(database: String) throws -> String {
        let base = try postgresURL
        guard let slash = base.range(of: "/", options: .backwards) else { return base }
        return base[..<slash.upperBound] + database
    }

    /// Creates a fresh database for one test; `body` gets its URL; the database (and any slot in it) is dropped after.
    static func withDatabase<Result>(_ prefix: String, _ body: (String) async throws -> Result) async throws -> Result {
        let name = uniqueName(prefix)
        let admin = try await PostgresConnection.connect(try postgresURL)
        try await admin.query("CREATE DATABASE \(name)")
        do {
            let result = try await body(try postgresURL(database: name))
            try await dropDatabase(name, using: admin)
            return result
        } catch {
            try? await dropDatabase(name, using: admin)
            throw error
        }
    }

    private static func dropDatabase(_ name: String, using admin: PostgresConnection) async throws {
        try await admin.query(
            "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1 AND NOT active", [name])
        try await admin.query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    static func kafkaConfiguration(_ extra: [String: String] = [:]) throws -> KafkaConfiguration {
        KafkaConfiguration(brokers: try brokers, extra)
    }

    /// Consumer settings that make group joins take seconds, not tens of seconds.
    static func consumerConfiguration(group: String) throws -> KafkaConfiguration {
        try kafkaConfiguration([
            // client.id names the group in librdkafka's own log lines (e.g. a member leaving after max.poll.interval.ms).
            "group.id": group, "client.id": group, "session.timeout.ms": "6000", "max.poll.interval.ms": "10000",
            "heartbeat.interval.ms": "500",
        ])
    }
}

extension ContinuousClock.Instant {
    static func deadline(in duration: Duration) -> Self { .now.advanced(by: duration) }
}
