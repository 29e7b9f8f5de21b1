/// A Secrets Manager secret that cannot serve as the source's connection settings. Names the secret, never a value.
public struct SourceSecretError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        case malformed(String)
    }

    public var secretId: String
    public var problem: Problem

    public var description: String {
        switch problem {
        case .malformed(let reason):
            "secret \(secretId) does not hold connection settings: \(reason). Store them as JSON text with "
                + "\"username\", \"password\", \"host\", \"port\" and \"dbname\" (the layout of AWS DMS and RDS secrets)"
        }
    }
}
