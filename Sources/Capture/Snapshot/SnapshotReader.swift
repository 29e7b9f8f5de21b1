import Logging
import Shared

/// Reads one table inside an exported snapshot (`SET TRANSACTION SNAPSHOT`) with `COPY ... TO STDOUT` and
/// turns each row into an `op: "r"` record versioned at the exporting slot's consistent point (invariant 2),
/// encoded for Kafka by `SnapshotRecordEncoder`.
public struct SnapshotReader: Sendable {
    public var consistentPoint: LSN
    public var source: SourceInfo
    public var shape: RecordShape
    /// The format rows are read in; binary where the table's types allow it (`RecordShape.snapshotCopyFormat`).
    public var copyFormat: PostgresCopyFormat

    public init(
        consistentPoint: LSN, prefix: String, database: String, generation: Int64 = 0, shape: RecordShape, startedAtMs: Int64
    ) {
        self.consistentPoint = consistentPoint
        self.shape = shape
        copyFormat = shape.snapshotCopyFormat
        source = SourceInfo(
            version: FerryVersion.current, name: prefix, db: database, schema: shape.schema, table: shape.table,
            snapshot: true, txId: nil, lsn: consistentPoint, commitLSN: consistentPoint, seq: -1, tsMs: startedAtMs,
            generation: generation)
    }

    /// Opens a transaction on the exported snapshot. Must happen while the exporting replication connection is
    /// still idle; reading (any number of tables, in this one transaction) can then take as long as it likes.
    public static func openSnapshot(source: SourceConnector, snapshotName: String) async throws -> PostgresConnection {
        let connection = try await source.connect(applicationName: "ferry-snapshot")
        try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try await connection.query("SET TRANSACTION SNAPSHOT '\(snapshotName)'")
        return connection
    }

    /// Streams the table's rows to `emit` as the Kafka messages of their records, a batch per COPY chunk;
    /// returns the number of rows. `connection` is a session from `openSnapshot`.
    public func read(
        on connection: PostgresConnection, where condition: String? = nil, nowMs: @escaping @Sendable () -> Int64,
        emit: (KafkaMessageBatch) async throws -> Void
    ) async throws -> Int {
        let encoder = SnapshotRecordEncoder(shape: shape, source: source)
        let statement = shape.copyStatement(clause: condition.map { "WHERE \($0)" }, format: copyFormat)
        return try await connection.copyOut(statement, chunkBytes: 256 << 10) { chunk in
            try await emit(try encoder.encode(chunk, tsMs: nowMs()))
        }
    }
}
