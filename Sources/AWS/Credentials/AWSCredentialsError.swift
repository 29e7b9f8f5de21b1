/// Why credentials could not be obtained. Never carries a secret: only sources, paths, profile names and
/// the reasons each source gave.
public enum AWSCredentialsError: Error, Hashable, CustomStringConvertible {
    /// Every source of the chain was tried and none was configured; one line per source.
    case notFound(tried: [String])
    /// A source is configured but does not yield usable credentials.
    case invalidSource(source: String, reason: String)
    case unreadableFile(path: String, reason: String)
    /// A credentials service (STS, IAM Identity Center, instance metadata, the container endpoint) could not be
    /// reached, or answered with a fault or throttling: asking again later may succeed.
    case unavailable(source: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let tried):
            "no AWS credentials found; tried:\n" + tried.map { "  - \($0)" }.joined(separator: "\n")
        case .invalidSource(let source, let reason):
            "AWS credentials from \(source) are unusable: \(reason)"
        case .unreadableFile(let path, let reason):
            "cannot read \(path): \(reason)"
        case .unavailable(let source, let reason):
            "AWS credentials from \(source) are unavailable for now: \(reason)"
        }
    }

    /// Whether asking again may succeed: only an outage or throttling heals; a denied role, a malformed profile
    /// or a missing file stays as it is until someone changes it.
    public var isTransient: Bool {
        if case .unavailable = self { true } else { false }
    }

    /// A service refused credentials as expired, and their source gives the same ones again with nothing to renew
    /// them (static credentials with a session token): retrying cannot help.
    public static func expiredForGood(source: String, service: String) -> AWSCredentialsError {
        .invalidSource(
            source: source,
            reason: "\(service) answered ExpiredTokenException: their session token has expired, and the source gives "
                + "the same credentials again with no expiration to renew them at; put current credentials there, or "
                + "use credentials that renew (a role assumed through web identity or a profile's role_arn, "
                + "credential_process with an Expiration, instance or container credentials)")
    }

    /// The error for an exchange with a credentials service that got no answer: transient, unless the request
    /// could not be sent at all.
    static func unanswered(source: String, _ error: AWSHTTPTransportError) -> AWSCredentialsError {
        error.kind == .unusable
            ? .invalidSource(source: source, reason: error.description)
            : .unavailable(source: source, reason: error.description)
    }

    /// The error for a credentials service's refusal: a 5xx, a 429 or a throttling code (`errorCode`, when the
    /// answer names one) passes; any other status is the service's verdict on the request.
    static func refused(source: String, status: Int, reason: String, errorCode: String? = nil) -> AWSCredentialsError {
        let throttled = status == 429 || ["Throttling", "ThrottlingException", "TooManyRequestsException",
                                          "RequestLimitExceeded"].contains(errorCode ?? "")
        return status >= 500 || throttled
            ? .unavailable(source: source, reason: reason) : .invalidSource(source: source, reason: reason)
    }
}
