import Foundation
import Logging

/// Hands out credentials from a provider and renews temporary ones before they expire, the way the AWS SDKs do:
/// once credentials come within `refreshMargin` of their expiration, one refresh starts in the background and
/// callers keep getting the current credentials meanwhile, so no request stalls on STS or a metadata endpoint.
/// Only when there are no credentials yet, or they have expired, do callers wait — all of them on the same one
/// refresh. A failed background refresh is logged and tried again after `retryInterval`; the current credentials
/// stay in use until they expire, and then the failure is the caller's error.
public actor AWSCredentialsCache {
    private let provider: any AWSCredentialsProvider
    private let refreshMargin: TimeInterval
    private let retryInterval: TimeInterval
    private let now: @Sendable () -> Date
    private let logger: Logger?
    private var cached: ExpiringAWSCredentials?
    private var refresh: Task<ExpiringAWSCredentials, any Error>?
    /// After a failed background refresh, no new one starts before this time.
    private var nextBackgroundAttempt: Date?

    public init(
        provider: any AWSCredentialsProvider,
        refreshMargin: TimeInterval = 300,
        retryInterval: TimeInterval = 10,
        logger: Logger? = nil,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.provider = provider
        self.refreshMargin = refreshMargin
        self.retryInterval = retryInterval
        self.logger = logger
        self.now = now
    }

    /// Current credentials; throws `AWSCredentialsError` when the provider has none.
    public func credentials() async throws -> AWSCredentials {
        let date = now()
        if let cached, !cached.isExpired(at: date) {
            if cached.needsRefresh(at: date, margin: refreshMargin), refresh == nil,
               nextBackgroundAttempt.map({ date >= $0 }) ?? true {
                _ = startRefresh()
            }
            return cached.credentials
        }
        return try await (refresh ?? startRefresh()).value.credentials
    }

    /// What looking credentials up again did after a service refused some as expired.
    public enum Renewal: Sendable, Equatable {
        /// Other credentials are in use now: a new lookup gave them, or another caller's lookup already had.
        case renewed
        /// The source gave the same credentials again; they carry an expiration, and are replaced when it comes.
        case atExpiration
        /// The source gave the same credentials again and nothing will replace them (they carry no expiration):
        /// static credentials whose session token has expired. `source` names where they come from.
        case never(source: String)
    }

    /// After a service answered that `rejected` have expired (`ExpiredTokenException`): unless other credentials
    /// are in use already, looks them up again now rather than at the expiration the source stated, and says
    /// whether that helps. Throws `AWSCredentialsError` when the lookup fails.
    public func renew(afterExpiryOf rejected: AWSCredentials) async throws -> Renewal {
        if let cached, cached.credentials != rejected { return .renewed }
        let fresh = try await (refresh ?? startRefresh()).value
        if fresh.credentials != rejected { return .renewed }
        return fresh.expiration == nil ? .never(source: fresh.source) : .atExpiration
    }

    private func startRefresh() -> Task<ExpiringAWSCredentials, any Error> {
        let task = Task { [provider] in
            do {
                let fresh: ExpiringAWSCredentials
                switch try await provider.lookUpCredentials() {
                case .found(let credentials): fresh = credentials
                case .notConfigured(let reason): throw AWSCredentialsError.notFound(tried: [reason])
                }
                self.finishRefresh(.success(fresh))
                return fresh
            } catch {
                self.finishRefresh(.failure(error))
                throw error
            }
        }
        refresh = task
        return task
    }

    private func finishRefresh(_ result: Result<ExpiringAWSCredentials, any Error>) {
        refresh = nil
        switch result {
        case .success(let fresh):
            if cached?.source != fresh.source {
                logger?.info("AWS credentials from \(fresh.source)", metadata: fresh.expiration.map {
                    ["expires": "\(ISO8601DateFormatter().string(from: $0))"]
                })
            }
            cached = fresh
            nextBackgroundAttempt = nil
        case .failure(let error):
            nextBackgroundAttempt = now().addingTimeInterval(retryInterval)
            if let cached, let expiration = cached.expiration, !cached.isExpired(at: now()) {
                let until = ISO8601DateFormatter().string(from: expiration)
                logger?.warning(
                    "refreshing AWS credentials failed; the current ones stay in use until \(until): \(error)")
            }
        }
    }
}
