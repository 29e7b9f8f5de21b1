import NIOCore

extension PgOutputMessage {
    /// `T`: one `TRUNCATE` statement emptied these relations (several when it named several tables or cascaded).
    public struct Truncate: Sendable, Equatable {
        public var options: Options
        public var relationOIDs: [UInt32]

        public struct Options: OptionSet, Sendable {
            public var rawValue: UInt8
            public init(rawValue: UInt8) { self.rawValue = rawValue }

            public static let cascade = Options(rawValue: 1)
            public static let restartIdentity = Options(rawValue: 2)
        }

        static func decode(from buffer: inout ByteBuffer) throws(PgOutputDecodingError) -> Self {
            try PgOutputFieldReader.read("Truncate", from: &buffer) { reader throws(PgOutputDecodingError) in
                let relationCount = try reader.readInteger(as: UInt32.self, "relation count")
                let options = Options(rawValue: try reader.readInteger("option bits"))
                // The count comes off the wire: reserve no more than the bytes left could hold.
                var relationOIDs: [UInt32] = []
                relationOIDs.reserveCapacity(min(Int(relationCount), reader.buffer.readableBytes / 4))
                for number in stride(from: 1, through: Int(relationCount), by: 1) {
                    relationOIDs.append(try reader.readInteger("relation \(number) OID"))
                }
                return Truncate(options: options, relationOIDs: relationOIDs)
            }
        }
    }
}
