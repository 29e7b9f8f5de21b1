import CLibPQ

/// Owns one `PGresult` and frees it in `deinit`; converts it to Swift values and errors.
final class PostgresResult {
    let pointer: OpaquePointer

    /// Wraps `result`; a nil result means libpq ran out of memory or lost the connection.
    init(_ result: OpaquePointer?, connection: OpaquePointer, statement: String?, kind: PostgresError.Kind) throws {
        // A statement cut off by the connection ending fails without a SQLSTATE ("server closed the connection
        // unexpectedly"); naming it a closed connection keeps it apart from a statement the server refused.
        connectionLost = PQstatus(connection) == CONNECTION_BAD
        guard let result else {
            throw PostgresError(
                kind: connectionLost ? .connectionClosed : kind, message: lastErrorMessage(connection),
                statement: statement)
        }
        pointer = result
        self.statement = statement
    }

    private let statement: String?
    private let connectionLost: Bool

    deinit {
        PQclear(pointer)
    }

    var status: ExecStatusType { PQresultStatus(pointer) }

    /// Throws the server's error unless the result has one of the `expected` statuses.
    func expect(_ expected: [ExecStatusType], kind: PostgresError.Kind) throws {
        guard !expected.contains(status) else { return }
        throw error(kind: kind)
    }

    func error(kind: PostgresError.Kind) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let ascii = code.asciiValue, let value = PQresultErrorField(pointer, Int32(ascii)) else { return nil }
            return String(cString: value)
        }
        let message = field("M") ?? String(cString: PQresultErrorMessage(pointer)).trimmingTrailingWhitespace()
        let sqlState = field("C")
        return PostgresError(
            kind: connectionLost && sqlState == nil ? .connectionClosed : kind,
            message: message.isEmpty ? "unexpected result status \(status)" : message,
            sqlState: sqlState, detail: field("D"), hint: field("H"), statement: statement)
    }

    func materialize() -> PostgresQueryResult {
        let columnCount = Int(PQnfields(pointer))
        let rowCount = Int(PQntuples(pointer))
        let columns = (0..<columnCount).map { column in
            PostgresQueryResult.Column(
                name: String(cString: PQfname(pointer, Int32(column))), typeOID: UInt32(PQftype(pointer, Int32(column))))
        }
        var rows: [[String?]] = []
        rows.reserveCapacity(rowCount)
        for row in 0..<Int32(rowCount) {
            rows.append(
                (0..<Int32(columnCount)).map { column in
                    PQgetisnull(pointer, row, column) == 1 ? nil : String(cString: PQgetvalue(pointer, row, column))
                })
        }
        let tuples = String(cString: PQcmdTuples(pointer))
        return PostgresQueryResult(columns: columns, rows: rows, affectedRows: Int(tuples))
    }
}
