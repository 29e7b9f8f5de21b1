extension DynamoDBClient {
    /// The table's key schema, indexes, status and estimated item count. A missing table throws a `DynamoDBError`
    /// with code `.resourceNotFound`.
    public func describeTable(_ tableName: String) async throws -> TableDescription {
        let response = try await invoke(.describeTable, table: tableName, body: ["TableName": .string(tableName)])
        guard let table = response.nested("Table") else { throw response.malformed("no Table in the response") }
        return try TableDescription(table)
    }
}
