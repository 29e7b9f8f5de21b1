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
    public var sourceTable: String { fields.sourceTable }
    public var targetTable: String { fields.targetTable }
    public var key: DynamoDBItem { fields.key }
    public var action: Action { fields.action }
    public var version: RecordVersion { fields.version }
    /// The source operation, for the per-operation counters.
    public var op: Operation { fields.op }
    /// Commit time in PostgreSQL, for the target latency.
    public var commitTimeMs: Int64 { fields.commitTimeMs }
    /// The message of the record that decided this write.
    public var origin: MessageOrigin { fields.origin }
    /// The table's `condition-expression`, which the write must meet besides the version condition.
    public var condition: WriteCondition? { fields.condition }

    /// The fields behind one reference: a write is copied several times on its way (coalescing, request units,
    /// counters), and copying the fields themselves cost a retain for each name, key and item (~5% of a bulk
    /// load's CPU). Immutable, so the value semantics hold.
    private final class Fields: Sendable {
        let sourceTable: String
        let targetTable: String
        let key: DynamoDBItem
        let action: Action
        let version: RecordVersion
        let op: Operation
        let commitTimeMs: Int64
        let origin: MessageOrigin
        let condition: WriteCondition?

        init(
            sourceTable: String, targetTable: String, key: DynamoDBItem, action: Action, version: RecordVersion,
            op: Operation, commitTimeMs: Int64, origin: MessageOrigin, condition: WriteCondition?
        ) {
            self.sourceTable = sourceTable
            self.targetTable = targetTable
            self.key = key
            self.action = action
            self.version = version
            self.op = op
            self.commitTimeMs = commitTimeMs
            self.origin = origin
            self.condition = condition
        }
    }

    private let fields: Fields

    public init(
        sourceTable: String, targetTable: String, key: DynamoDBItem, action: Action, version: RecordVersion,
        op: Operation, commitTimeMs: Int64, origin: MessageOrigin, condition: WriteCondition? = nil
    ) {
        fields = Fields(
            sourceTable: sourceTable, targetTable: targetTable, key: key, action: action, version: version, op: op,
            commitTimeMs: commitTimeMs, origin: origin, condition: condition)
    }

    /// This write with `action` instead of its own.
    func with(action: Action) -> ItemWrite {
        ItemWrite(
            sourceTable: sourceTable, targetTable: targetTable, key: key, action: action, version: version, op: op,
            commitTimeMs: commitTimeMs, origin: origin, condition: condition)
    }

    public static func == (lhs: ItemWrite, rhs: ItemWrite) -> Bool {
        lhs.fields === rhs.fields
            || (lhs.sourceTable == rhs.sourceTable && lhs.targetTable == rhs.targetTable && lhs.key == rhs.key
                && lhs.action == rhs.action && lhs.version == rhs.version && lhs.op == rhs.op
                && lhs.commitTimeMs == rhs.commitTimeMs && lhs.origin == rhs.origin && lhs.condition == rhs.condition)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(targetTable)
        hasher.combine(key)
        hasher.combine(version)
        hasher.combine(origin)
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
        switch action {
        case .put(var item):
            item.merge(set) { _, new in new }
            remove.forEach { item[$0] = nil }
            return newer.with(action: .put(item))
        case .update(var earlierSet, let earlierRemove):
            earlierSet.merge(set) { _, new in new }
            remove.forEach { earlierSet[$0] = nil }
            return newer.with(action: .update(set: earlierSet, remove: earlierRemove.subtracting(set.keys).union(remove)))
        case .delete:
            return newer
        }
    }
}
