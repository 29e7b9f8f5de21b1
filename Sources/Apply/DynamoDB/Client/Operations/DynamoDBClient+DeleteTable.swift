extension DynamoDBClient {
    /// Starts deleting the table and its items. A missing table throws a `DynamoDBError` with code `.resourceNotFound`.
    @discardableResult
    public func deleteTable(_ tableName: String) async throws -> TableDescription {
        let response = try await invoke(.deleteTable, table: tableName, body: ["TableName": .string(tableName)])
        guard let table = response.nested("TableDescription") else {
            throw response.malformed("no TableDescription in the response")
        }
        return try TableDescription(table)
    }
}
