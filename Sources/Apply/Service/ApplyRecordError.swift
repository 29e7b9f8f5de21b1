import Shared

/// Why one record cannot be applied. The record, not the service, is at fault: it is dead-lettered
/// (or, with `--on-error stop`, stops the service).
public enum ApplyRecordError: Error, Hashable, CustomStringConvertible {
    /// The message is not a change record (malformed JSON, unknown op, missing field).
    case undecodable(String)
    /// The row cannot become an item (see `MappingError`).
    case unmappable(String)
    /// The item would exceed DynamoDB's 400 KB limit.
    case itemTooLarge(bytes: Int)
    /// DynamoDB refused the item itself (a validation error): retrying cannot help.
    case rejected(String)
    /// The table's `condition-expression` (object-mapping rule `ruleId`) is false for the item: not written.
    case conditionFailed(ruleId: String)
    /// A `seq` beyond what the item version number encodes.
    case seqOutOfRange(Int64)
    /// A Debezium record's `source.lsn` beyond what the item version number encodes (18 digits).
    case lsnOutOfRange(Int64)
    /// A `source.generation` beyond what the item version number encodes (38 digits).
    case generationOutOfRange(Int64)
    /// Limited LOB mode cuts these columns' values, and DataTruncationErrorPolicy says not to write them cut.
    case lobTruncated(columns: [String], maximumBytes: Int)

    /// The short reason written to the `ferry.error` header and the metrics.
    public var description: String {
        switch self {
        case .undecodable(let reason): "undecodable record: \(reason)"
        case .unmappable(let reason): "mapping failed: \(reason)"
        case .itemTooLarge(let bytes): "item of \(bytes) bytes exceeds DynamoDB's 400 KB limit"
        case .rejected(let reason): "DynamoDB rejected the write: \(reason)"
        case .conditionFailed(let ruleId):
            "the condition-expression of rule-id \(ruleId) is false for the item: not written"
        case .seqOutOfRange(let seq): "seq \(seq) is outside the range an item version encodes"
        case .lsnOutOfRange(let lsn):
            "source.lsn \(lsn) is outside the range an item version encodes (0...\(ItemVersion.maximumDebeziumLSN))"
        case .generationOutOfRange(let generation):
            "generation \(generation) is outside the range an item version encodes (0...\(ItemVersion.maximumGeneration))"
        case .lobTruncated(let columns, let maximumBytes):
            "limited LOB mode (LobMaxSize \(maximumBytes / 1024) KB) cuts the value of \(columns.joined(separator: ", "))"
        }
    }

    /// The error behaviour's class of this error; `op` is the record's operation, when it was read.
    func kind(op: Operation?) -> RecordErrorBehavior.Kind {
        switch self {
        // A write the table's condition-expression refuses is refused by DynamoDB, as DMS's apply errors are.
        case .itemTooLarge, .rejected, .conditionFailed: op.map { .apply($0) } ?? .data
        case .lobTruncated: .truncation
        case .undecodable, .unmappable, .seqOutOfRange, .lsnOutOfRange, .generationOutOfRange: .data
        }
    }
}
