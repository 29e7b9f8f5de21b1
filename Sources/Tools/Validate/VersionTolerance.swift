import Apply
import Shared

/// Tells a difference that is not one: the PostgreSQL side is one snapshot, taken just after `snapshotLSN`, while
/// DynamoDB keeps moving. An item whose version attribute holds a change committed after that LSN (version ÷ 10^10,
/// see `ItemVersion`) is newer than the snapshot, so a row that differs from it, is missing from it (a newer
/// tombstone) or does not exist for it (a newer insert) is expected, not a fault of the pipeline.
public struct VersionTolerance: Sendable, Hashable {
    public var snapshotLSN: LSN
    public var versionAttribute: String

    public init(snapshotLSN: LSN, versionAttribute: String) {
        self.snapshotLSN = snapshotLSN
        self.versionAttribute = versionAttribute
    }

    /// The item's version number as stored; nil for an item without one (not written by apply).
    public func version(of item: DynamoDBItem) -> String? {
        guard case .n(let number)? = item[versionAttribute] else { return nil }
        return number
    }

    /// The commit LSN of the change the item holds.
    public func commitLSN(of item: DynamoDBItem) -> LSN? {
        version(of: item).flatMap(ItemVersion.commitLSN(ofNumber:))
    }

    public func isNewerThanSnapshot(_ item: DynamoDBItem) -> Bool {
        commitLSN(of: item).map { $0 > snapshotLSN } ?? false
    }
}
