/// The rows of a query, in PostgreSQL's text format, copied out of libpq's result.
public struct PostgresQueryResult: Sendable {
    public struct Column: Sendable, Hashable {
        public var name: String
        /// The column's type OID (`pg_type.oid`).
        public var typeOID: UInt32
    }

    public var columns: [Column]
    /// `rows[row][column]`; nil is SQL NULL.
    public var rows: [[String?]]
    /// The command tag's row count (`INSERT 0 5` → 5), for statements that report one.
    public var affectedRows: Int?

    /// The value of `column` in `row`, by column name; nil for NULL or an unknown column.
    public func value(_ column: String, row: Int = 0) -> String? {
        guard row < rows.count, let index = columns.firstIndex(where: { $0.name == column }) else { return nil }
        return rows[row][index]
    }
}
