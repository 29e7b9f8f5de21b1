import NIOCore

extension PgOutputMessage {
    /// `R`: describes a table's columns. Sent before a relation's first change in a session, and again
    /// whenever its definition changed since (e.g. `ALTER TABLE ... ADD COLUMN`); tuples follow its column order.
    public struct Relation: Sendable, Equatable {
        public var oid: UInt32
        /// Empty for `pg_catalog`.
        public var namespace: String
        public var name: String
        public var replicaIdentity: ReplicaIdentity
        /// Every column except generated ones, in attribute order.
        public var columns: [Column]

        /// `pg_class.relreplident`: which columns identify a row in the old tuple of updates and deletes.
        public enum ReplicaIdentity: Sendable, Equatable {
            /// `d`: the primary key, if any.
            case `default`
            /// `n`: nothing; updates and deletes carry no old tuple.
            case nothing
            /// `f`: the whole old row.
            case full
            /// `i`: the columns of a chosen unique index.
            case index

            init?(relreplident: UInt8) {
                switch relreplident {
                case UInt8(ascii: "d"): self = .default
                case UInt8(ascii: "n"): self = .nothing
                case UInt8(ascii: "f"): self = .full
                case UInt8(ascii: "i"): self = .index
                default: return nil
                }
            }
        }

        public struct Column: Sendable, Equatable {
            /// Part of the replica identity. With `REPLICA IDENTITY FULL` every column is.
            public var isKey: Bool
            public var name: String
            public var typeOID: UInt32
            /// `atttypmod`, e.g. the length of `varchar(n)` plus 4; -1 when the type has none.
            public var typeModifier: Int32
        }

        /// The replica-identity columns, in column order: the row's key in Ferry's change records.
        public var keyColumnNames: [String] { columns.filter(\.isKey).map(\.name) }

        static func decode(from buffer: inout ByteBuffer) throws(PgOutputDecodingError) -> Self {
            try PgOutputFieldReader.read("Relation", from: &buffer) { reader throws(PgOutputDecodingError) in
                let oid = try reader.readInteger(as: UInt32.self, "relation OID")
                let namespace = try reader.readString("namespace")
                let name = try reader.readString("relation name")
                let identityOffset = reader.offset
                let relreplident = try reader.readInteger(as: UInt8.self, "replica identity")
                guard let replicaIdentity = ReplicaIdentity(relreplident: relreplident) else {
                    throw reader.error(.unknown(relreplident), in: "replica identity", at: identityOffset)
                }
                let columnCount = try reader.readInteger(as: UInt16.self, "column count")
                var columns: [Column] = []
                columns.reserveCapacity(Int(columnCount))
                for number in stride(from: 1, through: Int(columnCount), by: 1) {
                    let flags = try reader.readInteger(as: UInt8.self, "column \(number) flags")
                    columns.append(
                        Column(
                            isKey: flags & 1 != 0,
                            name: try reader.readString("column \(number) name"),
                            typeOID: try reader.readInteger("column \(number) type OID"),
                            typeModifier: try reader.readInteger("column \(number) type modifier")))
                }
                return Relation(
                    oid: oid, namespace: namespace, name: name, replicaIdentity: replicaIdentity, columns: columns)
            }
        }
    }
}
