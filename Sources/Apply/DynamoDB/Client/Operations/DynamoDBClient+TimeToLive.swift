extension DynamoDBClient {
    /// Turns on expiry by the number (epoch seconds) in `attribute` (UpdateTimeToLive). The table must be active.
    public func enableTimeToLive(table: String, attribute: String) async throws {
        _ = try await invoke(.updateTimeToLive, table: table, body: [
            "TableName": .string(table),
            "TimeToLiveSpecification": ["AttributeName": .string(attribute), "Enabled": .bool(true)],
        ])
    }

    /// The attribute items expire by, when expiry is enabled or being enabled (DescribeTimeToLive); nil otherwise.
    public func timeToLiveAttribute(table: String) async throws -> String? {
        let response = try await invoke(.describeTimeToLive, table: table, body: ["TableName": .string(table)])
        guard let description = response.nested("TimeToLiveDescription"),
            ["ENABLED", "ENABLING"].contains(description.string("TimeToLiveStatus") ?? "")
        else { return nil }
        return description.string("AttributeName")
    }
}
