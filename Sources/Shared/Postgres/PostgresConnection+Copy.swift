import CLibPQ

extension PostgresConnection {
    /// Streams the rows of `COPY (...) TO STDOUT` (text or binary format, as the statement asks) in chunks of
    /// about `chunkBytes` to `consume`. The next chunk is read while `consume` works on one (libpq on the
    /// connection's thread, `consume` wherever it runs), and no further: memory stays bounded at two chunks
    /// whatever the table's size. Returns the number of rows read.
    @discardableResult
    public func copyOut(
        _ copyStatement: String, chunkBytes: Int = 1 << 20,
        _ consume: (PostgresCopyChunk) async throws -> Void
    ) async throws -> Int {
        let format = try await withHandle { connection in
            let result = try PostgresResult(
                PQexec(connection, copyStatement), connection: connection, statement: copyStatement, kind: .copyFailed)
            try result.expect([PGRES_COPY_OUT], kind: .copyFailed)
            return PQbinaryTuples(result.pointer) == 1 ? PostgresCopyFormat.binary : .text
        }
        let readChunk = { @Sendable [self] (isFirst: Bool) in
            try await withHandle { connection in
                try readCopyChunk(
                    connection, format: format, isFirst: isFirst, chunkBytes: chunkBytes, statement: copyStatement)
            }
        }
        var rows = 0
        var (chunk, ended) = try await readChunk(true)
        while true {
            let isLast = ended
            async let following = isLast ? nil : readChunk(false)
            if !chunk.isEmpty {
                rows += chunk.rowCount
                try await consume(chunk)
            }
            guard let next = try await following else { return rows }
            (chunk, ended) = next
        }
    }
}

/// Reads rows until about `chunkBytes` are buffered or the COPY has ended (and succeeded). The server sends a
/// row per message; in binary format the first message also starts with the stream's header, and the last is
/// the trailer: neither is a row.
private func readCopyChunk(
    _ connection: OpaquePointer, format: PostgresCopyFormat, isFirst: Bool, chunkBytes: Int, statement: String
) throws -> (chunk: PostgresCopyChunk, ended: Bool) {
    var chunk = PostgresCopyChunk(format: format, reservingBytes: chunkBytes + 4096, rows: 1024)
    var expectsHeader = isFirst && format == .binary
    while chunk.bytes.count < chunkBytes {
        var buffer: UnsafeMutablePointer<CChar>?
        let length = PQgetCopyData(connection, &buffer, 0)
        if length > 0, let buffer {
            defer { PQfreemem(buffer) }
            var message = UnsafeRawBufferPointer(start: buffer, count: Int(length))
            if expectsHeader {
                message = UnsafeRawBufferPointer(rebasing: message[try CopyBinaryRow.headerLength(in: message)...])
                expectsHeader = false
                if message.isEmpty { continue }  // the header on its own
            }
            if format == .binary, CopyBinaryRow.isTrailer(message) { continue }
            chunk.append(message)
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
