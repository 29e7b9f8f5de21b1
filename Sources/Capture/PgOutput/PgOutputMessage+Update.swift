import NIOCore

extension PgOutputMessage {
    /// `U`: a row was updated.
    public struct Update: Sendable, Equatable {
        public var relationOID: UInt32
        /// The old key (`K`, when the update changed it) or the whole old row (`O`, `REPLICA IDENTITY FULL`).
        public var oldTuple: OldTuple?
        public var newTuple: TupleData

        static func decode(from buffer: inout ByteBuffer) throws(PgOutputDecodingError) -> Self {
            try PgOutputFieldReader.read("Update", from: &buffer) { reader throws(PgOutputDecodingError) in
                let relationOID = try reader.readInteger(as: UInt32.self, "relation OID")
                var markerOffset = reader.offset
                var marker = try reader.readInteger(as: UInt8.self, "old or new tuple marker")
                let oldTuple = try OldTuple.decode(marker: marker, from: &reader)
                if oldTuple != nil {
                    markerOffset = reader.offset
                    marker = try reader.readInteger(as: UInt8.self, "new tuple marker")
                }
                guard marker == UInt8(ascii: "N") else {
                    let field = oldTuple == nil ? "old or new tuple marker" : "new tuple marker"
                    throw reader.error(.unknown(marker), in: field, at: markerOffset)
                }
                return Update(
                    relationOID: relationOID, oldTuple: oldTuple,
                    newTuple: try TupleData.decode("new tuple", from: &reader))
            }
        }
    }
}
