/// A failure reported by libpq or the server, with the server's SQLSTATE when there is one.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        case connectionFailed = "connection failed"
        case queryFailed = "query failed"
        case copyFailed = "COPY failed"
        case replicationFailed = "replication stream failed"
        case connectionClosed = "connection closed"
    }

    public var kind: Kind
    /// libpq's or the server's primary message, without the trailing newline.
    public var message: String
    /// The five-character SQLSTATE (e.g. `28P01` invalid password, `42P01` undefined table), when the server sent one.
    public var sqlState: String?
    public var detail: String?
    public var hint: String?
    /// The statement that failed (never a connection string: those may carry passwords).
    public var statement: String?

    public init(
        kind: Kind, message: String, sqlState: String? = nil, detail: String? = nil, hint: String? = nil,
        statement: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.statement = statement
    }

    public var description: String {
        var text = "PostgreSQL \(kind.rawValue): \(message)"
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let detail { text += "; detail: \(detail)" }
        if let hint { text += "; hint: \(hint)" }
        if let statement { text += "; statement: \(statement)" }
        return text
    }
}
