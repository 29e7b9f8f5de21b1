/// What a table-mappings file says about how capture reads one table, beyond selecting it: which rows (`filters`),
/// in which order tables load (`load-order`), and how a table's snapshot is split (`table-settings`
/// `parallel-load`). The default reads every row, in Ferry's own order and chunks.
public struct TableCaptureRules: Sendable, Hashable {
    /// The rows to capture: those any of these filters takes (each from a rule selecting the table). Empty: every
    /// row — also when some selecting rule has no filter.
    public var rowFilters: [RowFilter]
    /// DMS's `load-order`: tables of a higher number are loaded first; 0 when no rule gives one.
    public var loadOrder: Int
    /// Snapshot segments the user defined, read as separate chunks; nil: Ferry's own chunking.
    public var snapshotRanges: SnapshotRanges?

    public init(rowFilters: [RowFilter] = [], loadOrder: Int = 0, snapshotRanges: SnapshotRanges? = nil) {
        self.rowFilters = rowFilters
        self.loadOrder = loadOrder
        self.snapshotRanges = snapshotRanges
    }
}

/// A `parallel-load` of `type: ranges`: the `columns` (most significant first) and the `boundaries`, each the
/// upper bound (exclusive, compared as a row) of one segment; the rows above the last form one more segment.
public struct SnapshotRanges: Sendable, Hashable {
    /// The rule-id of the table-settings rule.
    public var rule: String
    public var columns: [String]
    public var boundaries: [[String]]

    public init(rule: String, columns: [String], boundaries: [[String]]) {
        self.rule = rule
        self.columns = columns
        self.boundaries = boundaries
    }
}
