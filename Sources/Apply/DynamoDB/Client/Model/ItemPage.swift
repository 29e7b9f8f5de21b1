/// One page of a Query or Scan. More pages follow while `lastEvaluatedKey` is non-nil: pass it as the next
/// request's `exclusiveStartKey`.
public struct ItemPage: Sendable, Hashable {
    public var items: [DynamoDBItem]
    public var lastEvaluatedKey: DynamoDBItem?
    /// Items examined before the filter expression; `items.count` is what passed it.
    public var scannedCount: Int
    /// Items that passed the filter: `items.count`, or with `Select: COUNT` the count alone.
    public var count: Int

    init(_ response: DynamoDBResponse) throws(DynamoDBError) {
        items = try response.items("Items")
        lastEvaluatedKey = try response.item("LastEvaluatedKey")
        count = response.int("Count") ?? items.count
        scannedCount = response.int("ScannedCount") ?? count
    }
}
