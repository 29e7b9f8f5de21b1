import NIOCore
import Shared

/// A message the server sends inside the CopyBoth stream of `START_REPLICATION`
/// (PostgreSQL docs, "Streaming Replication Protocol").
public enum ReplicationMessage: Sendable, Equatable {
    case xLogData(XLogData)
    case primaryKeepalive(PrimaryKeepalive)

    public static func decode(from buffer: inout ByteBuffer) throws(ReplicationDecodingError) -> ReplicationMessage {
        guard let tag = buffer.readInteger(as: UInt8.self) else {
            throw ReplicationDecodingError(message: "CopyData", reason: "empty message")
        }
        switch tag {
        case UInt8(ascii: "w"): return .xLogData(try XLogData.decode(from: &buffer))
        case UInt8(ascii: "k"): return .primaryKeepalive(try PrimaryKeepalive.decode(from: &buffer))
        default:
            throw ReplicationDecodingError(message: "CopyData", reason: "unknown message tag 0x\(String(tag, radix: 16))")
        }
    }
}

/// `w`: a chunk of WAL data — for logical replication, one output-plugin message (pgoutput).
public struct XLogData: Sendable, Equatable {
    /// The WAL position of the start of the data.
    public var walStart: LSN
    /// The server's current end of WAL.
    public var walEnd: LSN
    public var serverTime: PostgresTimestamp
    /// The output plugin's message; the reader index is at its first byte.
    public var data: ByteBuffer

    static func decode(from buffer: inout ByteBuffer) throws(ReplicationDecodingError) -> XLogData {
        guard let start = buffer.readInteger(as: UInt64.self), let end = buffer.readInteger(as: UInt64.self),
            let time = buffer.readInteger(as: Int64.self)
        else { throw ReplicationDecodingError(message: "XLogData", reason: "header shorter than 24 bytes") }
        return XLogData(
            walStart: LSN(rawValue: start), walEnd: LSN(rawValue: end), serverTime: PostgresTimestamp(microsecondsSince2000: time),
            data: buffer.readSlice(length: buffer.readableBytes) ?? ByteBuffer())
    }
}

/// `k`: the server's heartbeat; `replyRequested` asks for a standby status update right away.
public struct PrimaryKeepalive: Sendable, Equatable {
    public var walEnd: LSN
    public var serverTime: PostgresTimestamp
    public var replyRequested: Bool

    static func decode(from buffer: inout ByteBuffer) throws(ReplicationDecodingError) -> PrimaryKeepalive {
        guard let end = buffer.readInteger(as: UInt64.self), let time = buffer.readInteger(as: Int64.self),
            let reply = buffer.readInteger(as: UInt8.self)
        else { throw ReplicationDecodingError(message: "PrimaryKeepalive", reason: "shorter than 17 bytes") }
        return PrimaryKeepalive(
            walEnd: LSN(rawValue: end), serverTime: PostgresTimestamp(microsecondsSince2000: time), replyRequested: reply != 0)
    }
}

/// `r`: what the client reports back. The server may recycle WAL up to `flushed`, and the slot's
/// `confirmed_flush_lsn` follows it — so `flushed` must only cover changes that are durable downstream.
public struct StandbyStatusUpdate: Sendable, Equatable {
    public var written: LSN
    public var flushed: LSN
    public var applied: LSN
    public var clientTime: PostgresTimestamp
    public var replyRequested: Bool

    public init(written: LSN, flushed: LSN, applied: LSN, clientTime: PostgresTimestamp, replyRequested: Bool = false) {
        self.written = written
        self.flushed = flushed
        self.applied = applied
        self.clientTime = clientTime
        self.replyRequested = replyRequested
    }

    public func encode() -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(34)
        buffer.writeInteger(UInt8(ascii: "r"))
        buffer.writeInteger(written.rawValue)
        buffer.writeInteger(flushed.rawValue)
        buffer.writeInteger(applied.rawValue)
        buffer.writeInteger(clientTime.microsecondsSince2000)
        buffer.writeInteger(UInt8(replyRequested ? 1 : 0))
        return buffer
    }
}

/// PostgreSQL's wire timestamp: microseconds since 2000-01-01 00:00:00 UTC.
public struct PostgresTimestamp: Sendable, Hashable, Comparable {
    public var microsecondsSince2000: Int64

    public init(microsecondsSince2000: Int64) {
        self.microsecondsSince2000 = microsecondsSince2000
    }

    /// Seconds between the Unix epoch and PostgreSQL's epoch.
    static let unixEpochOffsetSeconds: Int64 = 946_684_800

    public init(unixMilliseconds: Int64) {
        microsecondsSince2000 = (unixMilliseconds - Self.unixEpochOffsetSeconds * 1000) * 1000
    }

    public var unixMilliseconds: Int64 { microsecondsSince2000 / 1000 + Self.unixEpochOffsetSeconds * 1000 }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.microsecondsSince2000 < rhs.microsecondsSince2000 }
}

/// Says which message could not be decoded and why.
public struct ReplicationDecodingError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var reason: String

    public var description: String { "cannot decode replication message \(message): \(reason)" }
}
