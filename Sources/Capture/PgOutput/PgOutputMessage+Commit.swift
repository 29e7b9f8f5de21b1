import NIOCore
import Shared

extension PgOutputMessage {
    /// `C`: the transaction opened by the last Begin is complete.
    public struct Commit: Sendable, Equatable {
        /// Unused by protocol version 1 (always 0); kept so nothing the server sent is dropped.
        public var flags: UInt8
        public var commitLSN: LSN
        /// The end of the commit record: where streaming resumes once the transaction is durable downstream.
        public var endLSN: LSN
        public var commitTimestamp: PostgresTimestamp

        static func decode(from buffer: inout ByteBuffer) throws(PgOutputDecodingError) -> Self {
            try PgOutputFieldReader.read("Commit", from: &buffer) { reader throws(PgOutputDecodingError) in
                Commit(
                    flags: try reader.readInteger("flags"),
                    commitLSN: try reader.readLSN("commit LSN"),
                    endLSN: try reader.readLSN("end LSN"),
                    commitTimestamp: try reader.readTimestamp("commit timestamp"))
            }
        }
    }
}
