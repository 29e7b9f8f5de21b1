import Foundation
import Shared
import Synchronization
import Testing

/// librdkafka's SASL/OAUTHBEARER token refresh, wired to a `KafkaOAuthBearerTokenSource`, on real clients against
/// the local broker. The broker (tansu) speaks no TLS and refuses the OAUTHBEARER handshake, so these run
/// SASL_PLAINTEXT and go as far as that handshake: a client connects only once its token is set.
@Suite("Kafka SASL/OAUTHBEARER token refresh against the local broker")
struct KafkaOAuthBearerTests {
    @Test func aClientThatNeverPollsGetsItsToken() async throws {
        let source = ScriptedTokenSource(failure: nil)
        // The admin client never polls its main queue: the request is served on librdkafka's background thread.
        let admin = try KafkaAdmin(configuration: try Self.configuration(source))
        try await source.waitForRequest(within: .seconds(10))
        withExtendedLifetime(admin) {}
    }

    @Test func aSetTokenTakesTheClientToTheSASLHandshake() async throws {
        let source = ScriptedTokenSource(failure: nil)
        let errors = ClientErrors()
        let producer = try KafkaProducer(configuration: try Self.configuration(source), logger: TestStack.logger) {
            if case .clientError(let error, _) = $0 { errors.append(error) }
        }
        try await producer.withRunning {
            // Without a token librdkafka would not connect at all; with it, the broker refuses the mechanism.
            let refused = try await errors.first(within: .seconds(20)) {
                $0.code == .authentication && $0.message.contains("OAUTHBEARER mechanism handshake failed")
            }
            #expect(refused != nil)
        }
        #expect(source.requests >= 1)
    }

    /// A cause that cannot heal (no credentials configured) reaches each kind of client as an authentication
    /// failure, which stops it; one that can (the credentials service down) with a transient code, so that the
    /// caller retries while librdkafka asks for a token again.
    @Test(arguments: [false, true])
    func aTokenThatCannotBeMadeReachesEachKindOfClientWithItsReason(transient: Bool) async throws {
        let reason = "no AWS credentials here (test \(TestStack.uniqueName("reason")))"
        let source = ScriptedTokenSource(failure: reason, transient: transient)
        let expectedCode: KafkaError.Code = transient ? .transport : .authentication
        let kafka = try Self.configuration(source)

        // The producer reports it as a client error (capture stops on it).
        let errors = ClientErrors()
        let producer = try KafkaProducer(configuration: kafka, logger: TestStack.logger) {
            if case .clientError(let error, _) = $0 { errors.append(error) }
        }
        try await producer.withRunning {
            let reported = try await errors.first(within: .seconds(20)) { $0.message.contains(reason) }
            #expect(reported?.code == expectedCode)
        }

        // A consumer's poll throws it, instead of logging a warning and returning nothing for ever.
        let consumer = try KafkaConsumer(
            configuration: try Self.configuration(source, TestStack.consumerConfiguration(group: TestStack.uniqueName("g"))),
            logger: TestStack.logger)
        try await consumer.subscribe(topics: [TestStack.uniqueName("never")])
        let polled = await #expect(throws: KafkaError.self) {
            let deadline = ContinuousClock.Instant.deadline(in: .seconds(20))
            while ContinuousClock.now < deadline { _ = try await consumer.poll(timeout: .milliseconds(500)) }
        }
        #expect(polled?.code == expectedCode)
        #expect(polled?.description.contains(reason) == true)

        // An admin request fails with it, not with a timeout.
        let admin = try KafkaAdmin(configuration: kafka)
        let created = await #expect(throws: KafkaError.self) {
            try await admin.createTopics([KafkaNewTopic(name: TestStack.uniqueName("t"), partitions: 1)], timeout: .seconds(3))
        }
        #expect(created?.code == expectedCode)
        #expect(created?.description.contains(reason) == true)
    }

    static func configuration(
        _ source: ScriptedTokenSource, _ base: KafkaConfiguration? = nil
    ) throws -> KafkaConfiguration {
        var kafka = try base ?? TestStack.kafkaConfiguration()
        kafka["security.protocol"] = "SASL_PLAINTEXT"
        kafka["sasl.mechanism"] = "OAUTHBEARER"
        kafka.oauthBearerTokenSource = source
        return kafka
    }
}

/// Hands out a fixed token, or fails with `failure`; counts the requests.
final class ScriptedTokenSource: KafkaOAuthBearerTokenSource {
    private let failure: String?
    private let transient: Bool
    private let requestCount = Mutex(0)

    init(failure: String?, transient: Bool = false) {
        self.failure = failure
        self.transient = transient
    }

    var requests: Int { requestCount.withLock { $0 } }

    func token() async throws -> KafkaOAuthBearerToken {
        requestCount.withLock { $0 += 1 }
        if let failure { throw ScriptedTokenFailure(description: failure, isTransient: transient) }
        return KafkaOAuthBearerToken(
            value: "dGVzdA", expiresAtMs: Int64(Date().timeIntervalSince1970 * 1000) + 900_000, principal: "test")
    }

    /// Returns once a token has been asked for; throws after `patience`.
    func waitForRequest(within patience: Duration) async throws {
        let deadline = ContinuousClock.Instant.deadline(in: patience)
        while requests == 0 {
            guard ContinuousClock.now < deadline else { throw TimeLimitExceeded(description: "no token request within \(patience)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

struct ScriptedTokenFailure: KafkaTokenSourceError, CustomStringConvertible {
    var description: String
    var isTransient: Bool
}

/// The client errors a producer reported, in order.
final class ClientErrors: Sendable {
    private let errors = Mutex<[KafkaError]>([])

    func append(_ error: KafkaError) { errors.withLock { $0.append(error) } }

    /// The first error matching `isWanted`, waiting up to `patience` for it; nil if none came.
    func first(within patience: Duration, where isWanted: (KafkaError) -> Bool) async throws -> KafkaError? {
        let deadline = ContinuousClock.Instant.deadline(in: patience)
        while ContinuousClock.now < deadline {
            if let found = errors.withLock({ $0.first(where: isWanted) }) { return found }
            try await Task.sleep(for: .milliseconds(100))
        }
        return errors.withLock { $0.first(where: isWanted) }
    }
}

struct TimeLimitExceeded: Error, CustomStringConvertible {
    var description: String
}
