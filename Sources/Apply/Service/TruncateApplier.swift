import Logging
import Shared

/// `--truncate delete`: removes every item of the target table older than the truncate, each with a conditional
/// delete, so an item a newer record wrote meanwhile stays.
struct TruncateApplier: Sendable {
    let client: DynamoDBClient
    let versionAttribute: String
    let concurrency: Int

    /// Returns how many items it deleted.
    func deleteItems(olderThan version: RecordVersion, in table: String, keyAttributes: [String]) async throws -> Int {
        let versionValue: DynamoDBAttributeValue = .n(try ItemVersion.number(for: version))
        var names = ["#v": versionAttribute]
        for (index, name) in keyAttributes.enumerated() { names["#k\(index)"] = name }
        let scan = ScanInput(
            tableName: table, filterExpression: VersionedWriter.olderCondition,
            projectionExpression: keyAttributes.indices.map { "#k\($0)" }.joined(separator: ", "),
            expressionAttributeNames: names, expressionAttributeValues: [":v": versionValue])
        var deleted = 0
        try await client.scanPages(scan) { items in
            let results = await withBoundedConcurrency(items, limit: concurrency) { [client, versionAttribute] key in
                do {
                    try await client.deleteItem(
                        DeleteItemInput(
                            tableName: table, key: key, conditionExpression: VersionedWriter.olderCondition,
                            expressionAttributeNames: ["#v": versionAttribute],
                            expressionAttributeValues: [":v": versionValue]))
                    return 1
                } catch let error as DynamoDBError where error.isConditionalCheckFailed {
                    return 0
                }
            }
            for result in results { deleted += try result.get() }
        }
        return deleted
    }
}
