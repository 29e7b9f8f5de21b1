import Testing

@testable import Shared

/// Which consumer and authentication errors may heal (`KafkaError.mayHeal`: apply, capture and the tools retry or
/// log them) and which stop the caller. The local broker has no ACLs, so the denied cases are checked here on
/// librdkafka's codes (their names, from librdkafka, pin the numbers).
@Suite("Kafka errors: which heal, and the authentication message")
struct KafkaErrorTests {
    private func error(_ code: Int32) -> KafkaError {
        KafkaError(code: KafkaError.Code(rawValue: code), message: "m")
    }

    @Test(arguments: [
        (29, "TOPIC_AUTHORIZATION_FAILED"), (30, "GROUP_AUTHORIZATION_FAILED"), (31, "CLUSTER_AUTHORIZATION_FAILED"),
        (23, "INCONSISTENT_GROUP_PROTOCOL"), (24, "INVALID_GROUP_ID"), (26, "INVALID_SESSION_TIMEOUT"),
        (81, "GROUP_MAX_SIZE_REACHED"), (-140, "_AUTO_OFFSET_RESET"), (-169, "_AUTHENTICATION"),
        (58, "SASL_AUTHENTICATION_FAILED"), (33, "UNSUPPORTED_SASL_MECHANISM"),
    ])
    func consumerErrorsARetryCannotChangeStop(code: Int32, name: String) {
        #expect(error(code).code.name == name)
        #expect(!error(code).mayHeal, "\(name)")
    }

    /// What librdkafka reports to a consumer while it reconnects, finds a coordinator or rejoins: logged, retried.
    @Test(arguments: [
        (3, "UNKNOWN_TOPIC_OR_PART"), (14, "COORDINATOR_LOAD_IN_PROGRESS"), (15, "COORDINATOR_NOT_AVAILABLE"),
        (16, "NOT_COORDINATOR"), (22, "ILLEGAL_GENERATION"), (25, "UNKNOWN_MEMBER_ID"), (27, "REBALANCE_IN_PROGRESS"),
        (1, "OFFSET_OUT_OF_RANGE"), (-195, "_TRANSPORT"), (-187, "_ALL_BROKERS_DOWN"), (-185, "_TIMED_OUT"),
    ])
    func transientConsumerErrorsHeal(code: Int32, name: String) {
        #expect(error(code).code.name == name)
        #expect(error(code).mayHeal, "\(name)")
    }

    @Test func aRefusedAuthenticationNamesTheBrokerTheMechanismAndTheFix() {
        let reason = "sasl_ssl://b-1.kafka:9096/1: SASL authentication error: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512"
        let refused = KafkaError.authenticationRefused(reason: reason, mechanism: "SCRAM-SHA-512")
        #expect(refused.code == .authentication)
        #expect(!refused.mayHeal)
        #expect(refused.description.contains("b-1.kafka:9096"))
        #expect(refused.description.contains("authenticating to Kafka with SASL SCRAM-SHA-512"))
        #expect(refused.description.contains("-X sasl.username and sasl.password, or FERRY_KAFKA_PROPERTIES_FILE"))
        #expect(refused.description.contains("sasl.mechanism=SCRAM-SHA-512"))
    }

    /// librdkafka reports every reconnection's refusal; the first is kept (and logged), other errors are not.
    @Test func theFirstRefusalIsKeptAndOtherClientErrorsAreNot() {
        let context = RdKafkaCallbackContext()
        context.clientErrorReported(KafkaError.Code(rawValue: -187), reason: "1/1 brokers are down")
        #expect(context.refusedAuthentication == nil)
        context.clientErrorReported(.authentication, reason: "b:9092/bootstrap: first refusal")
        context.clientErrorReported(.authentication, reason: "b:9092/bootstrap: second refusal")
        #expect(context.refusedAuthentication?.message.hasPrefix("b:9092/bootstrap: first refusal") == true)
    }

    @Test func theMechanismIsLibrdkafkasDefaultUnlessSetUnderEitherName() {
        #expect(KafkaConfiguration(brokers: "b:9092").saslMechanism == "GSSAPI")
        #expect(KafkaConfiguration(brokers: "b:9092", ["sasl.mechanisms": "PLAIN"]).saslMechanism == "PLAIN")
        #expect(KafkaConfiguration(brokers: "b:9092", ["sasl.mechanism": "SCRAM-SHA-256"]).saslMechanism == "SCRAM-SHA-256")
    }
}
