import CLibPQ
#if canImport(Glibc)
import Glibc
#endif

/// One libpq connection, normal or `replication=database`, owned by this object and freed in `deinit`.
///
/// Every libpq call runs on the connection's own `BlockingExecutor`, so calls are serialised and never block
/// Swift's cooperative pool. The `PGconn` pointer never leaves this type.
public final class PostgresConnection: @unchecked Sendable {
    // @unchecked: `handle` is only touched by jobs on `executor`, which runs them one at a time.
    private let handle: OpaquePointer
    private let executor: BlockingExecutor
    public let isReplication: Bool

    private init(handle: OpaquePointer, executor: BlockingExecutor, isReplication: Bool) {
        self.handle = handle
        self.executor = executor
        self.isReplication = isReplication
    }

    deinit {
        PQfinish(handle)
    }

    /// Connects to `url` (a libpq URL or `key=value` string). Sessions always use ISO dates in UTC, hex bytea and
    /// round-trip float digits, so text values mean the same whatever the server's defaults are.
    /// - Parameter overriding: libpq keywords and values that win over `url`'s (a generated password, `sslmode`).
    public static func connect(
        _ url: String, replication: Bool = false, applicationName: String = "ferry",
        overriding: [(String, String)] = []
    ) async throws -> PostgresConnection {
        let executor = BlockingExecutor(label: "ferry.postgres")
        let handle = try await executor.run { () throws -> SendableHandle in
            var parameters: [(String, String)] = [
                ("dbname", url),
                ("application_name", applicationName),
                ("options", PostgresSessionSettings.options),
                ("connect_timeout", "10"),
            ]
            if replication { parameters.append(("replication", "database")) }
            // libpq keeps the last value of a repeated keyword, so these override what `url` expands to.
            parameters += overriding
            let connection = withCStringArrays(parameters) { keywords, values in
                PQconnectdbParams(keywords, values, 1)
            }
            guard let connection else {
                throw PostgresError(kind: .connectionFailed, message: "libpq could not allocate a connection")
            }
            guard PQstatus(connection) == CONNECTION_OK else {
                let error = PostgresError(kind: .connectionFailed, message: lastErrorMessage(connection))
                PQfinish(connection)
                throw error
            }
            return SendableHandle(pointer: connection)
        }
        return PostgresConnection(handle: handle.pointer, executor: executor, isReplication: replication)
    }

    /// Runs one statement (or several separated by `;` when `parameters` is empty) and returns the last result.
    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = []) async throws -> PostgresQueryResult {
        try await withHandle { connection in
            let result: OpaquePointer? =
                parameters.isEmpty
                ? PQexec(connection, sql)
                : withOptionalCStrings(parameters) { values in
                    PQexecParams(connection, sql, Int32(parameters.count), nil, values, nil, nil, 0)
                }
            let owned = try PostgresResult(result, connection: connection, statement: sql, kind: .queryFailed)
            try owned.expect([PGRES_COMMAND_OK, PGRES_TUPLES_OK], kind: .queryFailed)
            return owned.materialize()
        }
    }

    /// The server's version number, e.g. 150018 for 15.18.
    public var serverVersion: Int {
        get async { (try? await withHandle { Int(PQserverVersion($0)) }) ?? 0 }
    }

    /// Runs `job` with the raw handle on the connection's executor. Internal: the pointer must not escape.
    func withHandle<Value: Sendable>(_ job: @escaping @Sendable (OpaquePointer) throws -> Value) async throws -> Value {
        let handle = SendableHandle(pointer: self.handle)
        return try await executor.run { try job(handle.pointer) }
    }
}

/// Carries a C handle across the hop to the executor's thread; only ever dereferenced there.
struct SendableHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// Session settings that make PostgreSQL's text output unambiguous for the record format.
enum PostgresSessionSettings {
    static let options =
        "-c DateStyle=ISO,MDY -c TimeZone=UTC -c IntervalStyle=postgres -c extra_float_digits=3 -c bytea_output=hex"
}

func lastErrorMessage(_ connection: OpaquePointer) -> String {
    guard let message = PQerrorMessage(connection) else { return "unknown libpq error" }
    return String(cString: message).trimmingTrailingWhitespace()
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var text = Substring(self)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}

/// Calls `body` with NULL-terminated C arrays of the pairs' keys and values (libpq's `PQconnectdbParams` shape).
private func withCStringArrays<Result>(
    _ pairs: [(String, String)],
    _ body: (UnsafePointer<UnsafePointer<CChar>?>, UnsafePointer<UnsafePointer<CChar>?>) -> Result
) -> Result {
    let keys = pairs.map { strdup($0.0) }
    let values = pairs.map { strdup($0.1) }
    defer {
        keys.forEach { free($0) }
        values.forEach { free($0) }
    }
    let keyPointers = keys.map { UnsafePointer($0) } + [nil]
    let valuePointers = values.map { UnsafePointer($0) } + [nil]
    return keyPointers.withUnsafeBufferPointer { keyBuffer in
        valuePointers.withUnsafeBufferPointer { valueBuffer in
            // Both buffers are non-empty (they end with the NULL sentinel), so baseAddress exists.
            body(keyBuffer.baseAddress.unsafelyUnwrapped, valueBuffer.baseAddress.unsafelyUnwrapped)
        }
    }
}

/// Calls `body` with a C array of optional strings (nil = SQL NULL), as `PQexecParams` takes its values.
private func withOptionalCStrings<Result>(
    _ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> Result
) -> Result {
    let copies = strings.map { $0.map { strdup($0) } ?? nil }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { UnsafePointer($0) } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress.unsafelyUnwrapped) }
}
