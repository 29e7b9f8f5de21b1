import CRdKafka
import Synchronization

/// Answers one client's SASL/OAUTHBEARER token requests from a `KafkaOAuthBearerTokenSource`.
///
/// librdkafka asks on its background thread (`RdKafkaClient` forwards the SASL queue there, so clients that never
/// poll the main queue — the admin client — get tokens too). `refreshRequested` only starts a task and returns:
/// fetching credentials can take seconds and must not hold librdkafka's thread. The task answers with
/// `rd_kafka_oauthbearer_set_token`, or `_set_token_failure`, which librdkafka reports as an `_AUTHENTICATION`
/// error event; the failure is also kept, so the client's calls can stop with it instead of waiting for brokers
/// they will never reach. librdkafka asks again 10 s after a failure; one request at a time is served.
final class KafkaTokenRefresher: Sendable {
    private struct State: @unchecked Sendable {
        // @unchecked: the handle is only used under the lock, and librdkafka's token calls are thread-safe.
        /// The client's handle while it exists; nil before `attach` and after `detach`.
        var handle: OpaquePointer?
        var refreshing = false
        var failure: KafkaError?
    }

    private let source: any KafkaOAuthBearerTokenSource
    private let state = Mutex(State())

    init(source: any KafkaOAuthBearerTokenSource) {
        self.source = source
    }

    func attach(_ handle: OpaquePointer) {
        state.withLock { $0.handle = handle }
    }

    /// After this returns no answer reaches the handle, which may then be destroyed.
    func detach() {
        state.withLock { $0.handle = nil }
    }

    /// Why the last token could not be made, until a later one is.
    var failure: KafkaError? { state.withLock { $0.failure } }

    /// librdkafka's request for a token (on its background thread): starts the refresh and returns at once.
    func refreshRequested() {
        let starts = state.withLock { state in
            guard state.handle != nil, !state.refreshing else { return false }
            state.refreshing = true
            return true
        }
        guard starts else { return }
        Task { await refresh() }
    }

    private func refresh() async {
        let outcome: Result<KafkaOAuthBearerToken, any Error>
        do { outcome = .success(try await source.token()) } catch { outcome = .failure(error) }
        state.withLock { state in
            state.refreshing = false
            // Under the lock, so `detach` (and the handle's destruction after it) waits for the answer.
            guard let handle = state.handle else { return }
            switch outcome {
            case .success(let token):
                var errorText = RdKafkaErrorText()
                let code = rd_kafka_oauthbearer_set_token(
                    handle, token.value, token.expiresAtMs, token.principal, nil, 0,
                    &errorText.storage, errorText.storage.count)
                if code == RD_KAFKA_RESP_ERR_NO_ERROR {
                    state.failure = nil
                } else {
                    let failure = KafkaError(
                        code: KafkaError.Code(code), message: errorText.text, context: "setting the SASL/OAUTHBEARER token")
                    state.failure = failure
                    rd_kafka_oauthbearer_set_token_failure(handle, failure.description)
                }
            case .failure(let error):
                // A transient cause is reported with a transient code, so callers retry instead of stopping;
                // librdkafka asks for a token again meanwhile.
                let isTransient = (error as? any KafkaTokenSourceError)?.isTransient ?? false
                let failure = KafkaError(
                    code: isTransient ? .transport : .authentication, message: "\(error)",
                    context: "making the SASL/OAUTHBEARER token")
                state.failure = failure
                rd_kafka_oauthbearer_set_token_failure(handle, failure.description)
            }
        }
    }
}

/// librdkafka's token refresh callback: the client's context carries the refresher.
let oauthBearerTokenRefreshCallback: @convention(c) (
    OpaquePointer?, UnsafePointer<CChar>?, UnsafeMutableRawPointer?
) -> Void = { _, _, opaque in
    guard let opaque else { return }
    Unmanaged<RdKafkaCallbackContext>.fromOpaque(opaque).takeUnretainedValue().tokenRefresher?.refreshRequested()
}
