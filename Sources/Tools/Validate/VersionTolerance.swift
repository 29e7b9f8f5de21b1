import Apply
import Shared

/// Tells a difference that is not one: the PostgreSQL side is one snapshot, taken just after `snapshotLSN`, while
/// DynamoDB keeps moving. An item whose version attribute holds a change committed after that LSN (version ÷ 10^10,
/// see `ItemVersion`) is newer than the snapshot, so a row that differs from it, is missing from it (a newer
/// tombstone) or does not exist for it (a newer insert) is expected, not a fault of the pipeline.
/// LSNs compare only within one generation (docs/design.md, "Generations"): given the source's current
/// `generation`, an item of an older one is never newer (it is left for the sweep, and is a real difference).
public struct VersionTolerance: Sendable, Hashable {
    public var snapshotLSN: LSN
    public var versionAttribute: String
    /// The generation the source's snapshot belongs to; nil when unknown (LSNs alone decide).
    public var generation: Int64?

    public init(snapshotLSN: LSN, versionAttribute: String, generation: Int64? = nil) {
        self.snapshotLSN = snapshotLSN
        self.versionAttribute = versionAttribute
        self.generation = generation
    }

    /// The generation of the change the item holds.
    public func generation(of item: DynamoDBItem) -> Int64? {
        version(of: item).flatMap(ItemVersion.position(ofNumber:))?.generation
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
        guard let position = version(of: item).flatMap(ItemVersion.position(ofNumber:)) else { return false }
        if let generation, position.generation != generation { return position.generation > generation }
        return position.commitLSN > snapshotLSN
    }
}
