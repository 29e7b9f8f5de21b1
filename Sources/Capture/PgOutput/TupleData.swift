import NIOCore

/// A row image in a change message: one value per column of the relation, in the Relation message's column order.
public struct TupleData: Sendable, Equatable {
    public var columns: [TupleValue]
}

/// One column of a `TupleData`.
public enum TupleValue: Sendable, Equatable {
    /// `n`: SQL NULL.
    case null
    /// `u`: a TOASTed value the update did not change, so PostgreSQL did not send it. Not NULL: the column keeps
    /// its value, which this stream does not know.
    case unchangedToast
    /// `t`: the value in PostgreSQL's text output format.
    case text(ByteBuffer)
    /// `b`: the value in the type's binary send format (only with the `binary` option).
    case binary(ByteBuffer)
}

extension TupleData {
    /// Reads a TupleData; `tupleName` ("new tuple", "old tuple") tells error messages which of a change's tuples failed.
    static func decode(
        _ tupleName: String, from reader: inout PgOutputFieldReader
    ) throws(PgOutputDecodingError) -> TupleData {
        let columnCount = try reader.readInteger(as: UInt16.self, "\(tupleName) column count")
        var columns: [TupleValue] = []
        columns.reserveCapacity(Int(columnCount))
        for number in stride(from: 1, through: Int(columnCount), by: 1) {
            let kindOffset = reader.offset
            let kind = try reader.readInteger(as: UInt8.self, "\(tupleName) column \(number) kind")
            switch kind {
            case UInt8(ascii: "n"): columns.append(.null)
            case UInt8(ascii: "u"): columns.append(.unchangedToast)
            case UInt8(ascii: "t"):
                columns.append(.text(try reader.readLengthPrefixedBytes("\(tupleName) column \(number) value")))
            case UInt8(ascii: "b"):
                columns.append(.binary(try reader.readLengthPrefixedBytes("\(tupleName) column \(number) value")))
            default: throw reader.error(.unknown(kind), in: "\(tupleName) column \(number) kind", at: kindOffset)
            }
        }
        return TupleData(columns: columns)
    }
}
