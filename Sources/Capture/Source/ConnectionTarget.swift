import Foundation

/// Where a PostgreSQL connection string points and as whom, for messages, and the string with its password
/// hidden. Reads both libpq forms: `postgresql://user:secret@host:5432/db?sslmode=require` and
/// `host=… user=… password=…`. Values the string leaves out come from libpq's environment variables.
public struct ConnectionTarget: Sendable, Equatable {
    /// The connection string with any password replaced by `***`: safe to log and print.
    public var redacted: String
    public var user: String?
    public var host: String
    public var port: String
    public var database: String?
    var password: String?

    public init(_ connectionString: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let parsed = ConnectionStringParser.parse(connectionString)
        self.init(values: parsed.values, redacted: parsed.redacted, environment: environment)
    }

    /// From libpq settings (keyword → value), falling back to libpq's environment variables as libpq does.
    init(values: [String: String], redacted: String, environment: [String: String]) {
        self.redacted = redacted
        // Only to scrub messages: a password from the environment must not show either.
        password = values["password"] ?? environment["PGPASSWORD"]
        user = values["user"] ?? environment["PGUSER"]
        // libpq's default host is a Unix socket; "localhost" is the closest name a message can give.
        host = values["host"] ?? environment["PGHOST"] ?? "localhost"
        port = values["port"] ?? environment["PGPORT"] ?? "5432"
        database = values["dbname"] ?? environment["PGDATABASE"]
    }

    /// `host:port`, as messages name the server (`[::1]:5432` for an IPv6 address).
    public var endpoint: String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// `text` with the password, should a library message ever echo it, replaced by `***`.
    func scrubbing(_ text: String) -> String {
        guard let password, !password.isEmpty else { return text }
        return text.replacing(password, with: "***")
    }
}
