import NIOCore

extension PgOutputMessage {
    /// `Y` (the docs' "Type" message): names a non-built-in column type, such as an enum or a domain, before the
    /// Relation message that uses it. Built-in types are never described; their OIDs are fixed.
    public struct DataType: Sendable, Equatable {
        public var oid: UInt32
        /// Empty for `pg_catalog`.
        public var namespace: String
        public var name: String

        static func decode(from buffer: inout ByteBuffer) throws(PgOutputDecodingError) -> Self {
            try PgOutputFieldReader.read("Type", from: &buffer) { reader throws(PgOutputDecodingError) in
                DataType(
                    oid: try reader.readInteger("type OID"),
                    namespace: try reader.readString("namespace"),
                    name: try reader.readString("type name"))
            }
        }
    }
}
