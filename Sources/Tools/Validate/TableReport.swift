import Capture

/// What validating one table found. `missing`, `extra` and `differing` count failures only; differences
/// explained by a change newer than the snapshot are counted in `tolerated` instead.
public struct TableReport: Sendable, Hashable {
    public var table: QualifiedTableName
    public var targetTable: String
    /// Rows in the snapshot (`count(*)`).
    public var sourceRows: Int
    /// Items in the target table, tombstones left out.
    public var targetItems: Int
    /// Rows compared: every row, or the sample.
    public var compared = 0
    /// Rows without an item, and rows that cannot be mapped to one.
    public var missing = 0
    /// Items without a row; nil when sampling, which looks items up by the sampled rows' keys and so cannot
    /// find items that have no row.
    public var extra: Int?
    public var differing = 0
    public var tolerated = 0
    /// Items whose only differences are values apply's limited LOB mode cut (the item names them in its
    /// truncation attribute, and each is a prefix of the source's value): not failures.
    public var truncated = 0
    /// The comparison stopped at the failure limit (`ValidateOptions.tableFailureLimit` / `runFailureLimit`):
    /// rows after it were not compared.
    public var stoppedAtFailureLimit = false
    /// How long the table took.
    public var duration: Duration = .zero
    /// The first differences found (up to the session's detail limit), tolerated ones included.
    public var differences: [Difference] = []

    public init(table: QualifiedTableName, targetTable: String, sourceRows: Int, targetItems: Int, isSample: Bool) {
        self.table = table
        self.targetTable = targetTable
        self.sourceRows = sourceRows
        self.targetItems = targetItems
        extra = isSample ? nil : 0
    }

    public var isSample: Bool { extra == nil }

    public var failures: Int { missing + (extra ?? 0) + differing }

    /// A full comparison accounts for every row and item, so only failures count. A sample does not: there the
    /// counts must also agree, since an extra or missing item outside the sample shows only in them.
    public var isClean: Bool {
        failures == 0 && (!isSample || sourceRows == targetItems)
    }
}
