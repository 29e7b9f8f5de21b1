import NIOCore

/// A table topic's message, as what it means, whichever format wrote it (`ChangeMessageDecoder`).
public enum ChangeMessage: Sendable, Hashable {
    /// A row change or a truncate, as Ferry's record.
    case change(ChangeRecord)
    /// A null value: the row with `key` was deleted (a marker for compaction). `delete` is the delete a Ferry
    /// tombstone carries in its `ferry.delete` header (docs/design.md, "Tombstones"); nil when it has none, as
    /// Debezium's never do. `types` are the key columns' types, when the key says them (a Connect schema).
    case tombstone(key: JSONObject, types: [ColumnType], delete: ChangeRecord?)
    /// Capture's control record (`ferry.control` header); nil for a kind this version does not know.
    case control(GenerationSnapshotMarker?)
    /// A Debezium logical decoding message (`op` `m`): no row change.
    case logicalMessage
}

/// The one place where a table topic's message becomes a `ChangeMessage`, in either input format: apply's batch
/// planner and `ferry tail` read through it, so both read the same records the same way. Keep one per sequence
/// of messages (Ferry's decoder remembers the `types` maps it met). Pure code.
public struct ChangeMessageDecoder: Sendable {
    public let format: InputFormat
    private var records = ChangeRecordDecoder()

    public init(format: InputFormat) {
        self.format = format
    }

    public mutating func decode(
        key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?, headers: [KafkaHeader]
    ) throws(ChangeRecordDecodingError) -> ChangeMessage {
        switch format {
        case .debezium:
            switch try DebeziumMessageDecoder.decode(key: key, value: value) {
            case .change(let record): return .change(record)
            case .tombstone(let row, let types): return .tombstone(key: row, types: types, delete: nil)
            case .logicalMessage: return .logicalMessage
            }
        case .ferry:
            if GenerationSnapshotMarker.isControl(headers) {
                return .control(value.flatMap { GenerationSnapshotMarker(value: Array($0)) })
            }
            if let value { return .change(try records.decodeValue(value)) }
            if let delete = headers.first(where: { $0.name == ChangeRecordCodec.tombstoneDeleteHeader })?.value {
                let record = try delete.withUnsafeBytesTyped { bytes throws(ChangeRecordDecodingError) in
                    try records.decodeValue(bytes)
                }
                return .tombstone(key: record.key ?? record.before ?? JSONObject(), types: record.types, delete: record)
            }
            guard let key else { throw ChangeRecordDecodingError(part: .key, path: "", problem: .tombstoneWithoutKey) }
            return .tombstone(key: try ChangeRecordCodec.decodeKey(key), types: [], delete: nil)
        }
    }

    public mutating func decode(_ message: KafkaMessage) throws(ChangeRecordDecodingError) -> ChangeMessage {
        try Self.withBytes(message.key) { key throws(ChangeRecordDecodingError) in
            try Self.withBytes(message.value) { value throws(ChangeRecordDecodingError) in
                try decode(key: key, value: value, headers: message.headers)
            }
        }
    }

    public mutating func decode(
        key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader]
    ) throws(ChangeRecordDecodingError) -> ChangeMessage {
        try key.withUnsafeBytesTyped { keyBytes throws(ChangeRecordDecodingError) in
            try value.withUnsafeBytesTyped { valueBytes throws(ChangeRecordDecodingError) in
                try decode(key: keyBytes, value: valueBytes, headers: headers)
            }
        }
    }

    private static func withBytes<Result>(
        _ buffer: ByteBuffer?, _ body: (UnsafeRawBufferPointer?) throws(ChangeRecordDecodingError) -> Result
    ) throws(ChangeRecordDecodingError) -> Result {
        guard let buffer else { return try body(nil) }
        return try buffer.withUnsafeReadableBytes { bytes in Swift.Result { () throws(ChangeRecordDecodingError) in try body(bytes) } }.get()
    }
}
