extension DynamoDBClient {
    /// Polls DescribeTable until the table and all its global secondary indexes are ACTIVE, and returns that
    /// description. Throws a `DynamoDBError` with `.notActiveInTime` after `timeout`.
    @discardableResult
    public func waitUntilActive(
        table tableName: String,
        timeout: Duration = .seconds(300),
        pollInterval: Duration = .seconds(1)
    ) async throws -> TableDescription {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        // New tables on real DynamoDB take seconds; emulators are instant, so poll quickly at first.
        var interval = min(pollInterval, .milliseconds(100))
        while true {
            let description = try await describeTable(tableName)
            if description.isActive { return description }
            guard clock.now.advanced(by: interval) < deadline else {
                let indexStatuses = description.globalSecondaryIndexes
                    .filter { $0.status != "ACTIVE" }
                    .map { "index \($0.indexName) \($0.status ?? "unknown")" }
                let status = ([description.status] + indexStatuses).joined(separator: ", ")
                throw DynamoDBError(.notActiveInTime(status: status), operation: .describeTable, table: tableName)
            }
            try await Task.sleep(for: interval)
            interval = min(interval * 2, pollInterval)
        }
    }
}
