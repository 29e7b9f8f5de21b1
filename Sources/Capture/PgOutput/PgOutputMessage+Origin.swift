import NIOCore
import Shared

extension PgOutputMessage {
    /// `O`: the transaction was replayed here from another server (a replication origin), e.g. by a subscription.
    public struct Origin: Sendable, Equatable {
        /// The transaction's commit LSN on the origin server.
        public var originCommitLSN: LSN
        public var name: String

        static func decode(from buffer: inout ByteBuffer) throws(PgOutputDecodingError) -> Self {
            try PgOutputFieldReader.read("Origin", from: &buffer) { reader throws(PgOutputDecodingError) in
                Origin(
                    originCommitLSN: try reader.readLSN("origin commit LSN"), name: try reader.readString("origin name")
                )
            }
        }
    }
}
