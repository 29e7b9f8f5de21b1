import Shared

/// What one row's records (coalesced) do to its item: the DynamoDB side of a change, before conditions.
public struct ItemWrite: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        /// Replace the whole item (creates, updates with every column, snapshot reads).
        case put(DynamoDBItem)
        /// Set these attributes and remove those, leaving the others (updates with `unchanged` columns).
        case update(set: DynamoDBItem, remove: Set<String>)
        /// The row is gone.
        case delete
    }

    /// Where the counters go: the source table, `schema.table`.
    public var sourceTable: String
    public var targetTable: String
    public var key: DynamoDBItem
    public var action: Action
    public var version: RecordVersion
    /// The source operation, for the per-operation counters.
    public var op: Operation
    /// Commit time in PostgreSQL, for the target latency.
    public var commitTimeMs: Int64
    /// The message of the record that decided this write.
    public var origin: MessageOrigin

    public init(
        sourceTable: String, targetTable: String, key: DynamoDBItem, action: Action, version: RecordVersion,
        op: Operation, commitTimeMs: Int64, origin: MessageOrigin
    ) {
        self.sourceTable = sourceTable
        self.targetTable = targetTable
        self.key = key
        self.action = action
        self.version = version
        self.op = op
        self.commitTimeMs = commitTimeMs
        self.origin = origin
    }

    /// Identifies the item across a batch.
    struct Identity: Hashable {
        var table: String
        var key: DynamoDBItem
    }

    var identity: Identity { Identity(table: targetTable, key: key) }

    /// This write followed by a newer one of the same item. The newer wins, except that a partial update on
    /// top of a put or update keeps what they wrote for the attributes it did not send.
    func followed(by newer: ItemWrite) -> ItemWrite {
        guard case .update(let set, let remove) = newer.action else { return newer }
        var merged = newer
        switch action {
        case .put(var item):
            item.merge(set) { _, new in new }
            remove.forEach { item[$0] = nil }
            merged.action = .put(item)
        case .update(var earlierSet, let earlierRemove):
            earlierSet.merge(set) { _, new in new }
            remove.forEach { earlierSet[$0] = nil }
            merged.action = .update(set: earlierSet, remove: earlierRemove.subtracting(set.keys).union(remove))
        case .delete:
            break
        }
        return merged
    }
}
