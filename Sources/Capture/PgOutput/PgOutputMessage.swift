import NIOCore

/// One message of PostgreSQL's `pgoutput` logical decoding plugin, protocol version 1
/// (PostgreSQL docs, "Logical Replication Message Formats"): the payload of an XLogData, or one row's
/// `data` from `pg_logical_slot_peek_binary_changes`.
public enum PgOutputMessage: Sendable, Equatable {
    case begin(Begin)
    case commit(Commit)
    case origin(Origin)
    case relation(Relation)
    case type(DataType)
    case insert(Insert)
    case update(Update)
    case delete(Delete)
    case truncate(Truncate)
    case logicalMessage(LogicalMessage)

    /// Decodes the message at the reader index, which must be its type byte; the buffer must hold just this message.
    public static func decode(from buffer: inout ByteBuffer) throws(PgOutputDecodingError) -> PgOutputMessage {
        guard let tag = buffer.readInteger(as: UInt8.self) else {
            throw PgOutputDecodingError(message: "pgoutput", field: "message tag", byteOffset: 0, reason: .truncated)
        }
        switch tag {
        case UInt8(ascii: "B"): return .begin(try .decode(from: &buffer))
        case UInt8(ascii: "C"): return .commit(try .decode(from: &buffer))
        case UInt8(ascii: "O"): return .origin(try .decode(from: &buffer))
        case UInt8(ascii: "R"): return .relation(try .decode(from: &buffer))
        case UInt8(ascii: "Y"): return .type(try .decode(from: &buffer))
        case UInt8(ascii: "I"): return .insert(try .decode(from: &buffer))
        case UInt8(ascii: "U"): return .update(try .decode(from: &buffer))
        case UInt8(ascii: "D"): return .delete(try .decode(from: &buffer))
        case UInt8(ascii: "T"): return .truncate(try .decode(from: &buffer))
        case UInt8(ascii: "M"): return .logicalMessage(try .decode(from: &buffer))
        default:
            throw PgOutputDecodingError(message: "pgoutput", field: "message tag", byteOffset: 0, reason: .unknown(tag))
        }
    }
}
