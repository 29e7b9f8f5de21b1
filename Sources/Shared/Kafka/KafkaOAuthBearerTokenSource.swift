/// A SASL/OAUTHBEARER token as librdkafka takes it (`rd_kafka_oauthbearer_set_token`).
public struct KafkaOAuthBearerToken: Sendable, Equatable {
    public var value: String
    /// When the token stops working, in milliseconds since the epoch; librdkafka asks for the next one at 80% of
    /// its lifetime.
    public var expiresAtMs: Int64
    /// The principal the client reports for itself (the broker decides who the token really names).
    public var principal: String

    public init(value: String, expiresAtMs: Int64, principal: String) {
        self.value = value
        self.expiresAtMs = expiresAtMs
        self.principal = principal
    }
}

/// Where a Kafka client's SASL/OAUTHBEARER tokens come from (e.g. Amazon MSK IAM: a request presigned with AWS
/// credentials). Defined here and implemented elsewhere, so the Kafka binding knows nothing about who signs.
public protocol KafkaOAuthBearerTokenSource: Sendable {
    /// A fresh token. Runs on a task, never on librdkafka's threads, so it may wait for credentials. Its error's
    /// description is what the client stops with: it should name the cause and the fix, and no secret.
    func token() async throws -> KafkaOAuthBearerToken
}

/// A token source's error that knows whether asking again may succeed: a credentials service that is down or
/// throttling heals, missing or denied credentials do not. Clients wait out the first (librdkafka asks again) and
/// stop on the second.
public protocol KafkaTokenSourceError: Error {
    var isTransient: Bool { get }
}
