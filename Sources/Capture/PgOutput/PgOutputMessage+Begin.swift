import NIOCore
import Shared

extension PgOutputMessage {
    /// `B`: a transaction starts; its changes follow, up to the matching Commit.
    public struct Begin: Sendable, Equatable {
        /// The LSN of the transaction's commit record — the `commit_lsn` every change of the transaction carries.
        public var finalLSN: LSN
        public var commitTimestamp: PostgresTimestamp
        public var xid: UInt32

        static func decode(from buffer: inout ByteBuffer) throws(PgOutputDecodingError) -> Self {
            try PgOutputFieldReader.read("Begin", from: &buffer) { reader throws(PgOutputDecodingError) in
                Begin(
                    finalLSN: try reader.readLSN("final LSN"),
                    commitTimestamp: try reader.readTimestamp("commit timestamp"),
                    xid: try reader.readInteger("xid"))
            }
        }
    }
}
