import AWS
import Shared

/// Why Ferry could not open a session on the source database, told so a user knows what to change.
public struct ConnectionFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// Wrong password, unknown role (SQLSTATE 28P01 / 28000 with "role … does not exist").
        case authenticationFailed(user: String)
        /// No server answered at the address: refused, unknown host name, timeout.
        case unreachable
        /// SQLSTATE 3D000.
        case databaseMissing
        /// `pg_hba.conf` has no line that admits this host, user and database.
        case rejectedByServer
        /// The password could not be obtained: no AWS credentials for the RDS IAM token, the secret unreadable.
        /// `transient` when asking again later may succeed (an AWS outage or throttling).
        case passwordUnavailable(String, transient: Bool)
        case other
    }

    public var reason: Reason
    /// The source URL with its password hidden.
    public var source: String
    public var endpoint: String
    public var database: String?
    /// libpq's message, with the password scrubbed should it appear.
    public var serverMessage: String
    /// Where the password came from, for the advice on a refused login.
    public var authentication: SourceAuthentication = .connectionString

    public init(_ error: PostgresError, target: ConnectionTarget, authentication: SourceAuthentication = .connectionString) {
        source = target.redacted
        endpoint = target.endpoint
        database = target.database
        serverMessage = target.scrubbing(error.message)
        reason = Self.classify(serverMessage, sqlState: error.sqlState, user: target.user)
        self.authentication = authentication
    }

    /// The password (an RDS IAM token, a secret's) could not be obtained; `error` is the AWS error, which never
    /// carries a secret.
    init(passwordUnavailable error: any Error, target: ConnectionTarget, authentication: SourceAuthentication) {
        source = target.redacted
        endpoint = target.endpoint
        database = target.database
        serverMessage = ""
        let transient = (error as? AWSCredentialsError)?.isTransient ?? (error as? SecretsManagerError)?.isTransient
            ?? false
        reason = .passwordUnavailable(target.scrubbing("\(error)"), transient: transient)
        self.authentication = authentication
    }

    /// Whether trying again later may succeed: the server was unreachable, the connection broke, AWS was down.
    public var isTransient: Bool {
        switch reason {
        case .unreachable, .other: true
        case .passwordUnavailable(_, let transient): transient
        case .authenticationFailed, .databaseMissing, .rejectedByServer: false
        }
    }

    public var description: String {
        let cause: String
        switch reason {
        case .authenticationFailed(let user):
            let check: String
            switch authentication {
            case .connectionString:
                check = "Check the user name and password in the source URL (or PGPASSWORD / ~/.pgpass when the URL "
                    + "has no password)."
            case .rdsIAM(let region):
                check = "Ferry signed in with an RDS IAM token (region \(region)): check that the database user has "
                    + "IAM authentication (GRANT rds_iam TO \"\(user)\"), that the instance has IAM database "
                    + "authentication enabled, and that the AWS identity may rds-db:connect to "
                    + "arn:aws:rds-db:\(region):<account>:dbuser:<DbiResourceId>/\(user)."
            case .secret(let id):
                check = "The password comes from secret \(id), read again \(SourceConnector.secretRereads) times: "
                    + "update the secret's username/password to what the database accepts (or finish its rotation)."
            }
            cause = "PostgreSQL authentication failed for user \"\(user)\" at \(endpoint). " + check
        case .unreachable:
            cause =
                "no PostgreSQL server answered at \(endpoint). Check the host and port in the source URL, that the "
                + "server is running and listens on that address (listen_addresses), and that no firewall or "
                + "security group blocks the port."
        case .databaseMissing:
            cause =
                "database \"\(database ?? "?")\" does not exist on \(endpoint). Check the database name in the source URL."
        case .rejectedByServer:
            cause =
                "the server at \(endpoint) does not admit this client: pg_hba.conf has no entry for this host, user "
                + "and database (add one and reload, or connect with sslmode=require if only SSL connections are allowed)."
        case .passwordUnavailable(let reason, _):
            return "Cannot connect to the source database \(source): no password for \(endpoint): \(reason)"
        case .other:
            cause = "the connection to \(endpoint) failed."
        }
        return "Cannot connect to the source database \(source): \(cause)\nPostgreSQL said: \(serverMessage)"
    }

    /// Connection errors come from libpq's message (a failed login has no result to carry a SQLSTATE), so the
    /// classification reads the English text libpq and the server write.
    static func classify(_ message: String, sqlState: String?, user: String?) -> Reason {
        if sqlState == "28P01" || message.contains("password authentication failed")
            || (message.contains("role \"") && message.contains("does not exist"))
            || message.contains("no password supplied")
        {
            return .authenticationFailed(user: user ?? quotedUser(in: message) ?? "(not given)")
        }
        if sqlState == "3D000" || (message.contains("database \"") && message.contains("does not exist")) {
            return .databaseMissing
        }
        if message.contains("no pg_hba.conf entry") { return .rejectedByServer }
        let unreachableSigns = [
            "Connection refused", "could not translate host name", "timeout expired", "No route to host",
            "Network is unreachable", "could not connect to server", "No such file or directory",
        ]
        if unreachableSigns.contains(where: { message.contains($0) }) { return .unreachable }
        return .other
    }

    /// `… for user "ferry"` → `ferry`.
    private static func quotedUser(in message: String) -> String? {
        guard let start = message.range(of: "for user \"") else { return nil }
        let rest = message[start.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}
