import NIOCore
import Shared

extension PgOutputMessage {
    /// `M`: a message written with `pg_logical_emit_message` (sent only when the `messages` option is on).
    public struct LogicalMessage: Sendable, Equatable {
        /// A transactional message arrives inside its transaction's Begin/Commit, and only if that commits;
        /// a non-transactional one arrives on its own, at once, even if the transaction rolls back.
        public var isTransactional: Bool
        public var lsn: LSN
        public var prefix: String
        public var content: ByteBuffer

        static func decode(from buffer: inout ByteBuffer) throws(PgOutputDecodingError) -> Self {
            try PgOutputFieldReader.read("Message", from: &buffer) { reader throws(PgOutputDecodingError) in
                let flags = try reader.readInteger(as: UInt8.self, "flags")
                return LogicalMessage(
                    isTransactional: flags & 1 != 0,
                    lsn: try reader.readLSN("LSN"),
                    prefix: try reader.readString("prefix"),
                    content: try reader.readLengthPrefixedBytes("content"))
            }
        }
    }
}
