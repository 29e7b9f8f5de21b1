import Apply
import Shared

/// One row or item on which PostgreSQL and DynamoDB disagree.
public struct Difference: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// The row has no item (or only a tombstone).
        case missing
        /// An item (not a tombstone) has no row.
        case extra
        /// Row and item have the same key but attributes differ.
        case differing
        /// The row cannot become an item (apply dead-letters such rows); `reason` says why.
        case unmappable
    }

    public var kind: Kind
    /// The item key (empty for an unmappable row whose key cannot be mapped either).
    public var key: DynamoDBItem
    /// For `differing`: the attributes that differ, in name order.
    public var attributes: [AttributeDifference]
    /// The DynamoDB item's version attribute, when there is an item and it has one.
    public var targetVersion: String?
    /// The commit LSN that version stands for.
    public var targetCommitLSN: LSN?
    /// The item is newer than the snapshot ("newer in DynamoDB"): expected, not counted as a failure.
    public var isTolerated: Bool
    /// For `unmappable`: the mapping error, naming the row.
    public var reason: String?

    public init(
        kind: Kind, key: DynamoDBItem, attributes: [AttributeDifference] = [], targetVersion: String? = nil,
        targetCommitLSN: LSN? = nil, isTolerated: Bool = false, reason: String? = nil
    ) {
        self.kind = kind
        self.key = key
        self.attributes = attributes
        self.targetVersion = targetVersion
        self.targetCommitLSN = targetCommitLSN
        self.isTolerated = isTolerated
        self.reason = reason
    }
}

/// One attribute of a `differing` item: what the PostgreSQL row maps to and what DynamoDB holds (nil: absent).
public struct AttributeDifference: Sendable, Hashable {
    public var name: String
    public var source: DynamoDBAttributeValue?
    public var target: DynamoDBAttributeValue?

    public init(name: String, source: DynamoDBAttributeValue?, target: DynamoDBAttributeValue?) {
        self.name = name
        self.source = source
        self.target = target
    }
}
