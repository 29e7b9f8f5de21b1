import Capture

/// How far the comparison of one table is, for the progress line `ferry validate` keeps on a terminal.
public struct ValidationProgress: Sendable, Hashable {
    public var table: QualifiedTableName
    public var compared: Int
    /// Rows to compare: the table's rows, or the sample size.
    public var total: Int

    public init(table: QualifiedTableName, compared: Int, total: Int) {
        self.table = table
        self.compared = compared
        self.total = total
    }

    /// `public.loans: 12500 / 50000 rows (25%)`.
    public var line: String {
        let percent = total == 0 ? 100 : min(100, compared * 100 / total)
        return "\(table): \(compared) / \(total) rows (\(percent)%)"
    }
}
