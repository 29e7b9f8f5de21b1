import Shared

/// Limited LOB mode says so in the item: an attribute (a string set, `_ferry_truncated` by default) names the
/// item's attributes whose values were cut, so a reader sees the cut and `ferry validate` tells it from a
/// difference. A later write of the row that cuts nothing leaves the item without it.
struct TruncationMarker: Sendable {
    let attribute: String
    /// The record's columns `LobLimit` cut.
    let cutColumns: [String]

    /// Puts the marker in `item` (the row's item for `record`) when a value may be cut; returns whether it did.
    ///
    /// A put replaces the whole item, so it names exactly the columns cut now. A partial update (the record lacks
    /// unchanged TOAST columns) leaves those columns' stored values as they are, and they may have been cut by an
    /// earlier write: it names them too, so the marker never misses a cut value (a value it names that is whole
    /// compares equal in validate all the same).
    @discardableResult
    func mark(_ item: inout DynamoDBItem, record: ChangeRecord, mapper: ItemMapper) -> Bool {
        let unchangedLobs = record.unchanged.filter { column in
            record.types.contains { $0.column == column && LobLimit.lobTypes.contains($0.typeName) }
        }
        let names = Set(mapper.attributePaths(ofColumns: cutColumns + unchangedLobs))
        guard !names.isEmpty else { return false }
        item[attribute] = .ss(names.sorted())
        return true
    }
}
