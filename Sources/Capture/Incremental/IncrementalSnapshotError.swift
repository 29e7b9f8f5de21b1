import Shared

/// What stops an incremental snapshot for good, naming the table and the fix.
struct IncrementalSnapshotError: Error, CustomStringConvertible, Sendable {
    var description: String

    /// The low watermark's `LOCK TABLE … IN SHARE MODE` was refused.
    static func lockDenied(_ table: QualifiedTableName, _ error: PostgresError) -> Self {
        IncrementalSnapshotError(
            description: """
                an incremental snapshot of \(table) must lock it IN SHARE MODE for a moment before each chunk (so the \
                chunk's read sees every change committed before its low watermark), and PostgreSQL refused: \
                \(error.message). Grant the capture user UPDATE (or TRUNCATE) on \(table.quoted), or use \
                --snapshot initial
                """)
    }

    /// The table's key cannot bound a chunk (`ChunkQuery`).
    static func unsupportedKey(_ table: QualifiedTableName, _ error: ChunkQuery.UnsupportedKey) -> Self {
        IncrementalSnapshotError(
            description: "an incremental snapshot of \(table) cannot continue: \(error); use --snapshot initial for it")
    }
}
