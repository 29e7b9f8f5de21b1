import Apply
import Shared

/// Tells a difference that is not one: the PostgreSQL side is one snapshot, taken just after `snapshotLSN`, while
/// DynamoDB keeps moving. An item whose version attribute holds a change committed after that LSN (version ÷ 10^10,
/// see `ItemVersion`) is newer than the snapshot, so a row that differs from it, is missing from it (a newer
/// tombstone) or does not exist for it (a newer insert) is expected, not a fault of the pipeline.
/// LSNs compare only within one generation (docs/design.md, "Generations"): given the source's current
/// `generation`, an item of an older one is never newer (it is left for the sweep, and is a real difference).
/// Items applied from Debezium records (`scheme` `.debezium`) hold `(last commit LSN, LSN)`; the larger stands for
/// the commit (`ItemVersion.position(ofNumber:scheme:)`).
public struct VersionTolerance: Sendable, Hashable {
    public var snapshotLSN: LSN
    public var versionAttribute: String
    /// The generation the source's snapshot belongs to; nil when unknown (LSNs alone decide).
    public var generation: Int64?
    /// How apply laid out the item versions: as the input format it read says.
    public var scheme: VersionScheme

    public init(snapshotLSN: LSN, versionAttribute: String, generation: Int64? = nil, scheme: VersionScheme = .ferry) {
        self.snapshotLSN = snapshotLSN
        self.versionAttribute = versionAttribute
        self.generation = generation
        self.scheme = scheme
    }

    private func position(of item: DynamoDBItem) -> (generation: Int64, commitLSN: LSN)? {
        version(of: item).flatMap { ItemVersion.position(ofNumber: $0, scheme: scheme) }
    }

    /// The generation of the change the item holds.
    public func generation(of item: DynamoDBItem) -> Int64? {
        position(of: item)?.generation
    }

    /// The item's version number as stored; nil for an item without one (not written by apply).
    public func version(of item: DynamoDBItem) -> String? {
        guard case .n(let number)? = item[versionAttribute] else { return nil }
        return number
    }

    /// The commit LSN of the change the item holds.
    public func commitLSN(of item: DynamoDBItem) -> LSN? {
        position(of: item)?.commitLSN
    }

    public func isNewerThanSnapshot(_ item: DynamoDBItem) -> Bool {
        guard let position = position(of: item) else { return false }
        if let generation, position.generation != generation { return position.generation > generation }
        return position.commitLSN > snapshotLSN
    }
}
