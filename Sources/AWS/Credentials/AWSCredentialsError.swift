/// Why credentials could not be obtained. Never carries a secret: only sources, paths, profile names and
/// the reasons each source gave.
public enum AWSCredentialsError: Error, Hashable, CustomStringConvertible {
    /// Every source of the chain was tried and none was configured; one line per source.
    case notFound(tried: [String])
    /// A source is configured but does not yield usable credentials.
    case invalidSource(source: String, reason: String)
    case unreadableFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let tried):
            "no AWS credentials found; tried:\n" + tried.map { "  - \($0)" }.joined(separator: "\n")
        case .invalidSource(let source, let reason):
            "AWS credentials from \(source) are unusable: \(reason)"
        case .unreadableFile(let path, let reason):
            "cannot read \(path): \(reason)"
        }
    }
}
