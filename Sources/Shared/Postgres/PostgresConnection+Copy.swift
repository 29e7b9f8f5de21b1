import CLibPQ

extension PostgresConnection {
    /// Streams the rows of `COPY (...) TO STDOUT` (text format) in chunks of about `chunkBytes` to `consume`.
    /// The next chunk is read while `consume` works on one (libpq on the connection's thread, `consume` wherever
    /// it runs), and no further: memory stays bounded at two chunks whatever the table's size.
    /// Returns the number of rows read.
    @discardableResult
    public func copyOut(
        _ copyStatement: String, chunkBytes: Int = 1 << 20,
        _ consume: (PostgresCopyChunk) async throws -> Void
    ) async throws -> Int {
        try await withHandle { connection in
            let result = try PostgresResult(
                PQexec(connection, copyStatement), connection: connection, statement: copyStatement, kind: .copyFailed)
            try result.expect([PGRES_COPY_OUT], kind: .copyFailed)
        }
        let readChunk = { @Sendable [self] in
            try await withHandle { connection in
                try readCopyChunk(connection, chunkBytes: chunkBytes, statement: copyStatement)
            }
        }
        var rows = 0
        var (chunk, ended) = try await readChunk()
        while true {
            let isLast = ended
            async let following = isLast ? nil : readChunk()
            if !chunk.isEmpty {
                rows += chunk.rowCount
                try await consume(chunk)
            }
            guard let next = try await following else { return rows }
            (chunk, ended) = next
        }
    }
}

/// Reads rows until about `chunkBytes` are buffered or the COPY has ended (and succeeded).
private func readCopyChunk(
    _ connection: OpaquePointer, chunkBytes: Int, statement: String
) throws -> (chunk: PostgresCopyChunk, ended: Bool) {
    var chunk = PostgresCopyChunk(reservingBytes: chunkBytes + 4096, rows: 1024)
    while chunk.bytes.count < chunkBytes {
        var buffer: UnsafeMutablePointer<CChar>?
        let length = PQgetCopyData(connection, &buffer, 0)
        if length > 0, let buffer {
            chunk.append(UnsafeRawBufferPointer(start: buffer, count: Int(length)))
            PQfreemem(buffer)
        } else if length == -1 {
            try finishCommand(connection, statement: statement, kind: .copyFailed)
            return (chunk, true)
        } else {
            throw PostgresError(kind: .copyFailed, message: lastErrorMessage(connection), statement: statement)
        }
    }
    return (chunk, false)
}

/// Collects the results that follow a COPY; throws the server's error if the command failed.
func finishCommand(_ connection: OpaquePointer, statement: String?, kind: PostgresError.Kind) throws {
    var failure: PostgresError?
    while let next = PQgetResult(connection) {
        let result = try PostgresResult(next, connection: connection, statement: statement, kind: kind)
        if failure == nil, ![PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_COPY_OUT].contains(result.status) {
            failure = result.error(kind: kind)
        }
    }
    if let failure { throw failure }
}
