import Shared
import Testing

@testable import Capture

/// Which errors capture retries and which stop it, by code: the local broker cannot deny a permission or fail an
/// authentication, so those cases are checked here on librdkafka's codes (the integration tests stop capture on a
/// record too large and on a dropped publication for real).
@Suite("Capture failures: retried or stopped, and the stop message")
struct CaptureFailureTests {
    private func kafka(_ code: Int32, fatal: Bool? = nil) -> KafkaError {
        var error = KafkaError(code: KafkaError.Code(rawValue: code), message: "m")
        error.isFatal = fatal
        return error
    }

    @Test func kafkaTimeoutsAndBrokersDownAreRetried() {
        // _MSG_TIMED_OUT, _TRANSPORT, _ALL_BROKERS_DOWN, _TIMED_OUT, NOT_LEADER_FOR_PARTITION, REQUEST_TIMED_OUT
        for code: Int32 in [-192, -195, -187, -185, 6, 7] {
            #expect(CaptureFailure.isTransient(kafka(code)), "code \(code)")
        }
    }

    @Test func kafkaRefusalsStop() {
        // MSG_SIZE_TOO_LARGE, RECORD_LIST_TOO_LARGE, TOPIC/GROUP/CLUSTER_AUTHORIZATION_FAILED,
        // SASL_AUTHENTICATION_FAILED, _AUTHENTICATION, _FATAL, _INVALID_ARG, TOPIC_EXCEPTION (an invalid topic name),
        // INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR, POLICY_VIOLATION
        for code: Int32 in [10, 18, 29, 30, 31, 58, -169, -150, -186, 17, 37, 38, 44] {
            #expect(!CaptureFailure.isTransient(kafka(code)), "code \(code)")
            // Apply retries a Kafka failure by the same rule (`ApplyService.run`).
            #expect(!kafka(code).mayHeal, "code \(code)")
        }
        // Whatever the code, librdkafka's own verdict that the client is dead.
        #expect(!CaptureFailure.isTransient(kafka(-192, fatal: true)))
    }

    @Test func postgresConnectionLossIsRetriedAndRefusedStatementsStop() {
        for state in ["08006", "08P01", "57P01", "57P03", "53300", "55006", "40001"] {
            #expect(CaptureFailure.isTransient(PostgresError(kind: .replicationFailed, message: "m", sqlState: state)), "\(state)")
        }
        #expect(CaptureFailure.isTransient(PostgresError(kind: .connectionClosed, message: "the server ended the stream")))
        #expect(CaptureFailure.isTransient(PostgresError(kind: .replicationFailed, message: "server closed the connection")))
        for state in ["42704", "42501", "42P01", "XX000", "22021"] {
            #expect(!CaptureFailure.isTransient(PostgresError(kind: .replicationFailed, message: "m", sqlState: state)), "\(state)")
        }
        #expect(!CaptureFailure.isTransient(PostgresError(kind: .queryFailed, message: "m")))
    }

    private let options = CaptureOptions(
        sourceURL: "postgresql://u@h/db", kafka: KafkaConfiguration(brokers: "b:9092", ["message.max.bytes": "2000000"]),
        prefix: "loan", selection: .matching { _, _ in true })

    @Test func aRecordTooLargeNamesTableKeyAndBothSettings() {
        var error = kafka(10)
        error.record = KafkaRecordReference(topic: "loan.dbo.Logs", key: Array(#"{"Id":7}"#.utf8), size: 3_000_123)
        let table = SourceTable(
            name: QualifiedTableName(schema: "dbo", name: "Logs"), oid: 1, columns: [], primaryKey: ["Id"],
            replicaIdentity: .default, estimatedRowCount: nil, totalBytes: 0, isPartitioned: false)
        let message = CaptureFailure.stopped(by: error, options: options, tables: [table]).description
        #expect(message.contains("dbo.Logs"))
        #expect(message.contains(#"{"Id":7}"#))
        #expect(message.contains("3000123 bytes"))
        #expect(message.contains("message.max.bytes=N; now 2000000"))
        #expect(message.contains("--entity-name loan.dbo.Logs --add-config max.message.bytes=N"))
    }

    @Test func aDeniedPermissionSaysWhatToGrant() {
        let message = CaptureFailure.stopped(by: kafka(29), options: options, tables: []).description
        #expect(message.contains("TOPIC_AUTHORIZATION_FAILED"))
        #expect(message.contains("grant the principal Create, Describe and Write on the topics loan.*"))
    }

    @Test func aDeniedPermissionWithMSKIAMNamesTheIAMActions() {
        var iamOptions = options
        iamOptions.kafka.oauthBearerTokenSource = NoToken()
        let message = CaptureFailure.stopped(by: kafka(29), options: iamOptions, tables: []).description
        #expect(message.contains("TOPIC_AUTHORIZATION_FAILED"))
        #expect(message.contains("IAM policy allows kafka-cluster:Connect"))
        #expect(message.contains("on the topics loan.* (README: On AWS)"))
        #expect(!message.contains("sasl.username"))
    }

    @Test func aDroppedPublicationNamesItAndTheFix() {
        let error = PostgresError(kind: .replicationFailed, message: #"publication "ferry_loan" does not exist"#, sqlState: "42704")
        let message = CaptureFailure.stopped(by: error, options: options, tables: []).description
        #expect(message.contains(#"CREATE PUBLICATION "ferry_loan" FOR TABLE"#))
        #expect(message.contains("pg_drop_replication_slot('ferry_loan')"))
    }
}

/// A token source that is never asked: only its presence matters to the message.
private struct NoToken: KafkaOAuthBearerTokenSource {
    func token() async throws -> KafkaOAuthBearerToken {
        throw KafkaError(code: .authentication, message: "not asked")
    }
}
