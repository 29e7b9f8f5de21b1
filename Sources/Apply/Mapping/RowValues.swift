import Shared

/// The columns templates can name: the row's own, then the columns add-column rules define, each computed
/// only when a template asks for it.
struct RowValues {
    let row: JSONObject
    /// The record `row` comes from, for added columns that read it.
    let header: RecordHeader?
    let addedColumns: [(ruleId: String, column: AddedColumn)]
    /// A row column's value as templates use it (time values in the mapping's `TimestampFormat`).
    var columnValue: (_ column: String, _ value: JSONValue) -> JSONValue = { $1 }

    /// The column's value (`.null` for NULL), or nil when neither the row nor a rule has such a column.
    func value(of column: String) throws(MappingError) -> JSONValue? {
        if let value = row[column] { return columnValue(column, value) }
        guard let added = addedColumns.first(where: { $0.column.name == column }) else { return nil }
        return try added.column.value(on: row, header: header, ruleId: added.ruleId) ?? .null
    }
}
