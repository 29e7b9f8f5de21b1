import Shared

/// The columns templates can name: the row's own, then the columns add-column rules define, each computed
/// only when a template asks for it.
struct RowValues {
    let row: JSONObject
    let addedColumns: [(ruleId: String, column: AddedColumn)]

    /// The column's value (`.null` for NULL), or nil when neither the row nor a rule has such a column.
    func value(of column: String) throws(MappingError) -> JSONValue? {
        if let value = row[column] { return value }
        guard let added = addedColumns.first(where: { $0.column.name == column }) else { return nil }
        return try added.column.value(on: row, ruleId: added.ruleId) ?? .null
    }
}
