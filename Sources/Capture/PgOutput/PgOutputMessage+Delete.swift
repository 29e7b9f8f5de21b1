import NIOCore

extension PgOutputMessage {
    /// `D`: a row was deleted. Tables with `REPLICA IDENTITY NOTHING` send no deletes at all.
    public struct Delete: Sendable, Equatable {
        public var relationOID: UInt32
        public var oldTuple: OldTuple

        static func decode(from buffer: inout ByteBuffer) throws(PgOutputDecodingError) -> Self {
            try PgOutputFieldReader.read("Delete", from: &buffer) { reader throws(PgOutputDecodingError) in
                let relationOID = try reader.readInteger(as: UInt32.self, "relation OID")
                let markerOffset = reader.offset
                let marker = try reader.readInteger(as: UInt8.self, "old tuple marker")
                guard let oldTuple = try OldTuple.decode(marker: marker, from: &reader) else {
                    throw reader.error(.unknown(marker), in: "old tuple marker", at: markerOffset)
                }
                return Delete(relationOID: relationOID, oldTuple: oldTuple)
            }
        }
    }
}
