import AWS
import Foundation
import Synchronization

/// Where the password of each new source connection comes from.
public enum SourceAuthentication: Sendable, Equatable {
    /// The connection string, `PGPASSWORD` or `~/.pgpass`: libpq's own ways.
    case connectionString
    /// A fresh RDS IAM authentication token per connection (`iam=true`, `FERRY_SOURCE_IAM=1`).
    case rdsIAM(region: String)
    /// The Secrets Manager secret `--source-secret` names.
    case secret(id: String)
}

/// RDS IAM authentication tokens for the source, one per connection: a token is valid for 15 minutes, and every
/// reconnect must present a current one.
struct RDSIAMTokens: Sendable {
    let region: String
    let credentials: AWSCredentialsCache
    let now: @Sendable () -> Date

    func token(host: String, port: Int, user: String) async throws -> String {
        RDSAuthToken.generate(
            host: host, port: port, user: user, region: region, credentials: try await credentials.credentials(),
            at: now())
    }
}

/// The source's Secrets Manager secret, read once and read again when the database refuses its password (the
/// secret was rotated).
final class SourceSecret: Sendable {
    let id: String
    private let client: SecretsManagerClient
    private let current = Mutex<DatabaseSecret?>(nil)

    init(id: String, client: SecretsManagerClient) {
        self.id = id
        self.client = client
    }

    /// The settings read last, reading them when none were read yet.
    func settings() async throws -> DatabaseSecret {
        if let settings = current.withLock({ $0 }) { return settings }
        return try await reread().settings
    }

    /// Reads the secret's current version; `changed` says whether it differs from the one read before.
    func reread() async throws -> (settings: DatabaseSecret, changed: Bool) {
        let settings = try DatabaseSecret(secretString: try await client.secretString(id: id), secretId: id)
        let previous = current.withLock { current in
            defer { current = settings }
            return current
        }
        return (settings, previous != settings)
    }
}
