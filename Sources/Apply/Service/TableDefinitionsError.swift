/// Why a `--table-definitions` file was refused, naming the table and the field at fault.
public struct TableDefinitionsError: Error, Hashable, CustomStringConvertible {
    /// The table's `TableName` (or its position when it has none); nil when the document as a whole is wrong.
    public var table: String?
    /// The field's path in the table's object, e.g. `GlobalSecondaryIndexes[1].Projection.ProjectionType`.
    public var field: String?
    public var problem: String

    public var description: String {
        var text = "table definitions"
        if let table { text += ", table \(table)" }
        if let field { text += ", field \(field)" }
        return text + ": \(problem)"
    }
}
