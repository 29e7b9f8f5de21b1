import NIOCore
import Shared

/// Reads the fields of one pgoutput message and turns every short or malformed read into a
/// `PgOutputDecodingError` that names the message, the field and its byte offset.
///
/// Field names are autoclosures so that the success path, which runs for every WAL change, builds no strings.
struct PgOutputFieldReader {
    private(set) var buffer: ByteBuffer
    private let messageName: String
    /// The reader index of the message-type byte, which is byte 0 of reported offsets.
    private let typeByteIndex: Int

    /// Reads the body of a message named `messageName` from `buffer`, whose reader index is just past the
    /// message-type byte. The buffer must hold exactly that message, as one XLogData or one slot-function row does:
    /// leftover bytes are an error rather than silently ignored fields of a newer protocol version.
    static func read<Body>(
        _ messageName: String, from buffer: inout ByteBuffer,
        _ readFields: (inout PgOutputFieldReader) throws(PgOutputDecodingError) -> Body
    ) throws(PgOutputDecodingError) -> Body {
        var reader = PgOutputFieldReader(
            buffer: buffer, messageName: messageName, typeByteIndex: buffer.readerIndex - 1)
        let body = try readFields(&reader)
        guard reader.buffer.readableBytes == 0 else {
            throw reader.error(.trailingBytes(count: reader.buffer.readableBytes), in: "the last field")
        }
        buffer = reader.buffer
        return body
    }

    /// The offset of the next unread byte, counting the message-type byte as byte 0.
    var offset: Int { buffer.readerIndex - typeByteIndex }

    func error(
        _ reason: PgOutputDecodingError.Reason, in field: String, at offset: Int? = nil
    ) -> PgOutputDecodingError {
        PgOutputDecodingError(message: messageName, field: field, byteOffset: offset ?? self.offset, reason: reason)
    }

    mutating func readInteger<Integer: FixedWidthInteger>(
        as type: Integer.Type = Integer.self, _ field: @autoclosure () -> String
    ) throws(PgOutputDecodingError) -> Integer {
        guard let value = buffer.readInteger(as: Integer.self) else { throw error(.truncated, in: field()) }
        return value
    }

    mutating func readLSN(_ field: @autoclosure () -> String) throws(PgOutputDecodingError) -> LSN {
        LSN(rawValue: try readInteger(field()))
    }

    mutating func readTimestamp(_ field: @autoclosure () -> String) throws(PgOutputDecodingError) -> PostgresTimestamp {
        PostgresTimestamp(microsecondsSince2000: try readInteger(field()))
    }

    /// A protocol `String`: UTF-8 bytes up to a NUL terminator.
    mutating func readString(_ field: @autoclosure () -> String) throws(PgOutputDecodingError) -> String {
        guard let terminator = buffer.readableBytesView.firstIndex(of: 0),
            let bytes = buffer.readSlice(length: terminator - buffer.readerIndex)
        else { throw error(.truncated, in: field()) }
        guard let string = String(validating: bytes.readableBytesView, as: UTF8.self) else {
            throw error(.invalidUTF8, in: field(), at: offset - bytes.readableBytes)
        }
        buffer.moveReaderIndex(forwardBy: 1)
        return string
    }

    /// An `Int32` length followed by that many bytes, returned as a slice that shares the message's storage.
    mutating func readLengthPrefixedBytes(
        _ field: @autoclosure () -> String
    ) throws(PgOutputDecodingError) -> ByteBuffer {
        let lengthOffset = offset
        let length = try readInteger(as: Int32.self, "\(field()) length")
        guard length >= 0 else { throw error(.negativeLength(length), in: "\(field()) length", at: lengthOffset) }
        guard let bytes = buffer.readSlice(length: Int(length)) else { throw error(.truncated, in: field()) }
        return bytes
    }
}
