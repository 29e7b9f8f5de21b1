import NIOCore

extension PgOutputMessage {
    /// `I`: a row was inserted.
    public struct Insert: Sendable, Equatable {
        public var relationOID: UInt32
        public var newTuple: TupleData

        static func decode(from buffer: inout ByteBuffer) throws(PgOutputDecodingError) -> Self {
            try PgOutputFieldReader.read("Insert", from: &buffer) { reader throws(PgOutputDecodingError) in
                let relationOID = try reader.readInteger(as: UInt32.self, "relation OID")
                let markerOffset = reader.offset
                let marker = try reader.readInteger(as: UInt8.self, "new tuple marker")
                guard marker == UInt8(ascii: "N") else {
                    throw reader.error(.unknown(marker), in: "new tuple marker", at: markerOffset)
                }
                return Insert(relationOID: relationOID, newTuple: try TupleData.decode("new tuple", from: &reader))
            }
        }
    }
}
