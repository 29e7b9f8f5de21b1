/// How `--deletes tombstone` marks a deleted row's item: the key, the version, `_ferry_deleted: true` and an
/// expiry, so a replayed older record of the row cannot bring it back. Readers of a target table that want the
/// live rows (`ferry validate`) leave these items out.
public enum Tombstone {
    /// The attribute that marks a tombstone item.
    public static let deletedAttribute = "_ferry_deleted"
    /// The attribute holding a tombstone's expiry (configure it as the table's TTL attribute).
    public static let expiryAttribute = "ttl"

    public static func isTombstone(_ item: DynamoDBItem) -> Bool {
        item[deletedAttribute] == .bool(true)
    }
}
