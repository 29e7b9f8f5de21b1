/// Decodes change records one after another: records in Ferry's own layout through the fast path
/// (`CanonicalRecordReader`), remembering the `types` maps it has met, anything else through the general decoder,
/// which reads any field order and names what is wrong. Keep one per sequence of records (it is not shared).
public struct ChangeRecordDecoder: Sendable {
    private var types = ColumnTypesMemo()

    public init() {}

    public mutating func decodeValue(_ bytes: UnsafeRawBufferPointer) throws(ChangeRecordDecodingError) -> ChangeRecord {
        var reader = CanonicalRecordReader(bytes)
        if let record = reader.read(reusing: &types) { return record }
        return try ChangeRecordCodec.decodeAnyLayout(bytes)
    }
}
