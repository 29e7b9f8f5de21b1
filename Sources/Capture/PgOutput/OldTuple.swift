/// The old row image of an update or delete. Which one PostgreSQL sends depends on the table's replica identity;
/// an update that changed no key column under the default identity sends none.
public enum OldTuple: Sendable, Equatable {
    /// `K`: the replica-identity columns carry the old values; every other column is null.
    case key(TupleData)
    /// `O`: the whole old row (`REPLICA IDENTITY FULL`).
    case fullRow(TupleData)

    static func decode(marker: UInt8, from reader: inout PgOutputFieldReader) throws(PgOutputDecodingError) -> Self? {
        switch marker {
        case UInt8(ascii: "K"): .key(try TupleData.decode("old tuple", from: &reader))
        case UInt8(ascii: "O"): .fullRow(try TupleData.decode("old tuple", from: &reader))
        default: nil
        }
    }
}
