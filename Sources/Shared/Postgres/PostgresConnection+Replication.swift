import CLibPQ
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

extension PostgresConnection {
    /// Sends a replication command that enters CopyBoth mode (`START_REPLICATION ...`).
    public func startCopyBoth(_ command: String) async throws {
        try await withHandle { connection in
            let result = try PostgresResult(
                PQexec(connection, command), connection: connection, statement: command, kind: .replicationFailed)
            try result.expect([PGRES_COPY_BOTH], kind: .replicationFailed)
        }
    }

    /// Reads the CopyData messages the server has sent: waits up to `timeout` for the first one, then takes what is
    /// already buffered, up to `maxMessages`. An empty array means the timeout passed (time to send a status update).
    /// Throws `connectionClosed` when the server ends the stream.
    public func readCopyData(maxMessages: Int = 1024, timeout: Duration) async throws -> [ByteBuffer] {
        let timeoutMilliseconds = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        return try await withHandle { connection in
            var messages: [ByteBuffer] = []
            var waited = false
            while messages.count < maxMessages {
                var buffer: UnsafeMutablePointer<CChar>?
                let length = PQgetCopyData(connection, &buffer, 1)
                if length > 0, let buffer {
                    messages.append(ByteBuffer(bytes: UnsafeRawBufferPointer(start: buffer, count: Int(length))))
                    PQfreemem(buffer)
                    continue
                }
                if length == -1 {
                    try finishCommand(connection, statement: nil, kind: .replicationFailed)
                    throw PostgresError(kind: .connectionClosed, message: "the server ended the replication stream")
                }
                if length == -2 {
                    throw PostgresError(kind: .replicationFailed, message: lastErrorMessage(connection))
                }
                // Nothing buffered: return what we have, or wait for the socket once.
                if !messages.isEmpty || waited { break }
                waited = true
                guard try waitReadable(connection, milliseconds: timeoutMilliseconds) else { break }
                guard PQconsumeInput(connection) == 1 else {
                    throw PostgresError(kind: .replicationFailed, message: lastErrorMessage(connection))
                }
            }
            return messages
        }
    }

    /// Sends one CopyData message (e.g. a standby status update) and flushes it.
    public func writeCopyData(_ message: ByteBuffer) async throws {
        try await withHandle { connection in
            let sent = message.withUnsafeReadableBytes { bytes in
                PQputCopyData(connection, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
            }
            guard sent == 1, PQflush(connection) == 0 else {
                throw PostgresError(kind: .replicationFailed, message: lastErrorMessage(connection))
            }
        }
    }

    /// Ends CopyBoth mode from our side and waits for the server to finish the command.
    public func endCopyBoth() async throws {
        try await withHandle { connection in
            guard PQputCopyEnd(connection, nil) == 1, PQflush(connection) == 0 else {
                throw PostgresError(kind: .replicationFailed, message: lastErrorMessage(connection))
            }
            // Discard what the server still sends until it acknowledges the end of the copy.
            while true {
                var buffer: UnsafeMutablePointer<CChar>?
                let length = PQgetCopyData(connection, &buffer, 0)
                if let buffer { PQfreemem(buffer) }
                if length < 0 { break }
            }
            try finishCommand(connection, statement: nil, kind: .replicationFailed)
        }
    }
}

/// Waits until the connection's socket is readable; false on timeout.
private func waitReadable(_ connection: OpaquePointer, milliseconds: Int32) throws -> Bool {
    var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
    while true {
        let ready = poll(&descriptor, 1, milliseconds)
        if ready >= 0 { return ready > 0 }
        if errno != EINTR {
            throw PostgresError(kind: .replicationFailed, message: "poll() on the replication socket failed: errno \(errno)")
        }
    }
}
