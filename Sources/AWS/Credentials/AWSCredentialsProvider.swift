import Foundation

/// One place credentials can come from: environment, shared files, a metadata endpoint, or a chain of those.
public protocol AWSCredentialsProvider: Sendable {
    /// The credentials of this source, or why the source is not configured. Throws `AWSCredentialsError` when the
    /// source is configured but broken: a chain then stops rather than silently falling back to other credentials.
    func lookUpCredentials() async throws -> AWSCredentialsLookup
}

public enum AWSCredentialsLookup: Sendable {
    case found(ExpiringAWSCredentials)
    /// The source is not set up here; the text names it and says what is missing, for the "tried" list.
    case notConfigured(String)
}

/// Credentials and, for temporary ones, when they stop working.
public struct ExpiringAWSCredentials: Sendable {
    public var credentials: AWSCredentials
    /// Nil for long-term credentials.
    public var expiration: Date?
    /// Where they came from, for the log line that names the provider (never a secret).
    public var source: String

    public init(_ credentials: AWSCredentials, expiration: Date? = nil, source: String = "") {
        self.credentials = credentials
        self.expiration = expiration
        self.source = source
    }

    /// Whether these credentials no longer work at `date`.
    func isExpired(at date: Date) -> Bool {
        guard let expiration else { return false }
        return date >= expiration
    }

    /// Whether these credentials should be replaced at `date`: within `margin` of their expiration or past it.
    func needsRefresh(at date: Date, margin: TimeInterval) -> Bool {
        guard let expiration else { return false }
        return date.addingTimeInterval(margin) >= expiration
    }
}
