import Apply
import Shared

/// A target table's items by key, as one scan read them: the source rows are looked up here, and what no row
/// took is extra. This is the one whole-table structure validate holds in memory (per table, DynamoDB side);
/// PostgreSQL rows stream past it.
public struct TargetItemIndex: Sendable {
    private var items: [DynamoDBItem: DynamoDBItem] = [:]
    private let keyOf: @Sendable (DynamoDBItem) -> DynamoDBItem
    /// Items added, tombstones left out.
    public private(set) var liveCount = 0

    /// - Parameter keyOf: the key attributes of an item (`ItemMapper.key(of:)`).
    public init(keyOf: @escaping @Sendable (DynamoDBItem) -> DynamoDBItem) {
        self.keyOf = keyOf
    }

    public mutating func add(_ page: [DynamoDBItem]) {
        for item in page {
            items[keyOf(item)] = item
            if !Tombstone.isTombstone(item) { liveCount += 1 }
        }
    }

    /// The largest of `value` over the items (nil when it is nil for all).
    public func highest<Value: Comparable>(_ value: (DynamoDBItem) -> Value?) -> Value? {
        items.values.lazy.compactMap(value).max()
    }

    /// The item stored under `key`, removed from the index; nil when there is none.
    public mutating func take(_ key: DynamoDBItem) -> DynamoDBItem? {
        items.removeValue(forKey: key)
    }

    /// The items no `take` asked for, with their keys, in key order (so reports are reproducible).
    public var remaining: [(key: DynamoDBItem, item: DynamoDBItem)] {
        items.map { (key: $0.key, item: $0.value) }.sorted { Self.precedes($0.key, $1.key) }
    }

    /// Key order: attribute by attribute in name order, numbers by value (as far as a Double tells), else by
    /// their DynamoDB JSON text.
    private static func precedes(_ lhs: DynamoDBItem, _ rhs: DynamoDBItem) -> Bool {
        for name in Set(lhs.keys).union(rhs.keys).sorted() {
            switch (lhs[name], rhs[name]) {
            case (.n(let left)?, .n(let right)?) where Double(left) != Double(right):
                return (Double(left) ?? 0) < (Double(right) ?? 0)
            case (let left, let right):
                let leftText = left.map { String(decoding: $0.dynamoDBJSON.jsonBytes, as: UTF8.self) } ?? ""
                let rightText = right.map { String(decoding: $0.dynamoDBJSON.jsonBytes, as: UTF8.self) } ?? ""
                if leftText != rightText { return leftText < rightText }
            }
        }
        return false
    }
}
