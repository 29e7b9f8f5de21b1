import Foundation

/// Hands out credentials from a provider, asking it again only when temporary credentials come within
/// `refreshMargin` of their expiration. Concurrent callers during a refresh share one lookup, so a burst of
/// requests does not hit a metadata endpoint once each.
public actor AWSCredentialsCache {
    private let provider: any AWSCredentialsProvider
    private let refreshMargin: TimeInterval
    private let now: @Sendable () -> Date
    private var cached: ExpiringAWSCredentials?
    private var refresh: Task<ExpiringAWSCredentials, any Error>?

    public init(
        provider: any AWSCredentialsProvider,
        refreshMargin: TimeInterval = 300,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.provider = provider
        self.refreshMargin = refreshMargin
        self.now = now
    }

    /// Current credentials; throws `AWSCredentialsError` when the provider has none.
    public func credentials() async throws -> AWSCredentials {
        if let cached, !cached.needsRefresh(at: now(), margin: refreshMargin) {
            return cached.credentials
        }
        let task = refresh ?? Task { [provider] in
            switch try await provider.lookUpCredentials() {
            case .found(let credentials):
                return credentials
            case .notConfigured(let reason):
                throw AWSCredentialsError.notFound(tried: [reason])
            }
        }
        refresh = task
        defer { refresh = nil }
        let fresh = try await task.value
        cached = fresh
        return fresh.credentials
    }
}
