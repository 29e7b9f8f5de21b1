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
        case other
    }

    public var reason: Reason
    /// The source URL with its password hidden.
    public var source: String
    public var endpoint: String
    public var database: String?
    /// libpq's message, with the password scrubbed should it appear.
    public var serverMessage: String

    public init(_ error: PostgresError, target: ConnectionTarget) {
        source = target.redacted
        endpoint = target.endpoint
        database = target.database
        serverMessage = target.scrubbing(error.message)
        reason = Self.classify(serverMessage, sqlState: error.sqlState, user: target.user)
    }

    public var description: String {
        let cause: String
        switch reason {
        case .authenticationFailed(let user):
            cause =
                "PostgreSQL authentication failed for user \"\(user)\" at \(endpoint). Check the user name and password "
                + "in the source URL (or PGPASSWORD / ~/.pgpass when the URL has no password)."
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

extension PostgresConnection {
    /// Connects to the source database; a failure says what went wrong and what to check, without the password.
    public static func connect(source url: String, applicationName: String) async throws(ConnectionFailure)
        -> PostgresConnection
    {
        do {
            return try await connect(url, applicationName: applicationName)
        } catch {
            let postgresError = error as? PostgresError ?? PostgresError(kind: .connectionFailed, message: "\(error)")
            throw ConnectionFailure(postgresError, target: ConnectionTarget(url))
        }
    }
}
