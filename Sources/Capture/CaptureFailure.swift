import Shared

/// What ends a capture attempt for good: one message naming the object and what to change. A retry cannot help
/// (the record stays too large, the permission stays denied), so capture stops instead of pinning WAL for ever;
/// nothing past the failing record was acknowledged, so a restart after the fix resumes exactly there.
public struct CaptureStopped: Error, CustomStringConvertible, Sendable {
    public var cause: String
    public var fix: String

    public var description: String { "capture stopped: \(cause). \(fix)" }
}

/// Sorts the errors that end a capture attempt into those a retry can heal (connection loss, timeouts, a broker
/// down, a slot still held by a dead session) and those it cannot. (`ferry validate --every` sorts its source
/// failures here too.)
public enum CaptureFailure {
    public static func isTransient(_ error: any Error) -> Bool {
        switch error {
        case let error as PostgresError: isTransient(error)
        case let error as KafkaError: error.mayHeal
        case let error as ReplicationSlotError: error.isInUse
        case let error as ConnectionFailure: error.isTransient
        case let error as PreflightError:
            if case .cannotConnect(let failure) = error { failure.isTransient } else { false }
        default: false
        }
    }

    /// The connection ended or could not be made, or the server asks to come back later: SQLSTATE class 08
    /// (connection exception), 57P01–57P03 (the backend terminated, the server shutting down or starting), 53300
    /// (too many connections), 55006 (the slot still held by a session the server has not reaped yet), 40001 and
    /// 40P01 (serialization failure, deadlock). Any other SQLSTATE is a statement the server will refuse again.
    static func isTransient(_ error: PostgresError) -> Bool {
        guard let state = error.sqlState else {
            // No SQLSTATE: the connection failed or closed under us.
            return error.kind != .queryFailed
        }
        return state.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300", "55006", "40001", "40P01"].contains(state)
    }

    /// The message capture stops with: the error, and what to change, for the causes an operator can fix.
    static func stopped(by error: any Error, options: CaptureOptions, tables: [SourceTable]) -> CaptureStopped {
        if let error = error as? KafkaError {
            return stopped(by: error, options: options, tables: tables)
        }
        if let error = error as? NewHistoryError {
            return CaptureStopped(cause: "\(error.cause)", fix: error.recovery)
        }
        if let error = error as? PostgresError, error.kind == .replicationFailed, error.sqlState == "42704",
            error.message.contains("publication")
        {
            return CaptureStopped(
                cause: "the replication stream ended: \(error)",
                fix: """
                    The publication \(options.publication) was dropped (or altered) while capture ran, and the slot \
                    \(options.slot) cannot decode the WAL written since without it. Recreate it (CREATE PUBLICATION \
                    \(SQLIdentifier.quote(options.publication)) FOR TABLE ...; capture recreates it when missing) and \
                    restart capture; if the stream still fails at this position, drop the slot \
                    (SELECT pg_drop_replication_slot('\(options.slot)')) and restart capture, which snapshots the \
                    tables again
                    """)
        }
        return CaptureStopped(cause: "\(error)", fix: "Fix the cause and restart capture")
    }

    private static func stopped(by error: KafkaError, options: CaptureOptions, tables: [SourceTable]) -> CaptureStopped {
        let record = error.record
        let table = record.flatMap { record in tables.first { options.topic(for: $0.name) == record.topic } }
        let naming = table.map { "a record of table \($0.name) (topic \(options.topic(for: $0.name)))" }
            ?? record.map { "a record of topic \($0.topic)" } ?? "a record"
        let key = record.map { " with key \($0.keyDescription)" } ?? ""
        if KafkaError.Code.recordTooLarge.contains(error.code) {
            let size = record.map { "\($0.size) bytes" } ?? "its size"
            let topic = record?.topic ?? "\(options.prefix).<schema>.<table>"
            return CaptureStopped(
                cause: "\(naming)\(key) is too large for Kafka (\(size); \(error.message), \(error.code.name))",
                fix: """
                    Raise both limits above the largest row: the producer's message.max.bytes (ferry capture -X \
                    message.max.bytes=N; now \(KafkaProducer.maxMessageBytes(options.kafka))) and the topic's \
                    max.message.bytes (kafka-configs.sh --alter --entity-type topics --entity-name \(topic) \
                    --add-config max.message.bytes=N; the broker's message.max.bytes for new topics), then restart \
                    capture: it resumes at this record
                    """)
        }
        if KafkaError.Code.notPermitted.contains(error.code), options.kafka.oauthBearerTokenSource != nil {
            return CaptureStopped(
                cause: "Kafka refused capture's client: \(error)",
                fix: """
                    Give ferry AWS credentials whose IAM policy allows kafka-cluster:Connect and \
                    WriteDataIdempotently on the cluster and CreateTopic, DescribeTopic, WriteData and ReadData on the \
                    topics \(options.prefix).* (README: On AWS), then restart capture
                    """)
        }
        if error.code == .authentication {
            // The error names the broker, the mechanism and what to check (`KafkaError.authenticationRefused`).
            return CaptureStopped(cause: "Kafka refused capture's client: \(error)", fix: "Restart capture once that is fixed")
        }
        if KafkaError.Code.notPermitted.contains(error.code) {
            return CaptureStopped(
                cause: "Kafka refused capture's client: \(error)",
                fix: """
                    Check the credentials (-X sasl.username / sasl.password, or FERRY_KAFKA_PROPERTIES_FILE) and grant \
                    the principal Create, Describe and Write on the topics \(options.prefix).* and IdempotentWrite on \
                    the cluster, then restart capture
                    """)
        }
        return CaptureStopped(
            cause: "\(naming.prefix(1).uppercased() + naming.dropFirst())\(key) was refused: \(error)",
            fix: "Kafka says a retry cannot succeed; fix the cause (a -X setting, the topic's configuration) and restart capture")
    }
}
