/// Decides, at start, whether the source still has the history the pipeline followed (docs/design.md, invariant 1,
/// "Generations"). Pure: capture gathers the facts, this names what they mean.
public enum HistoryCheck {
    /// What capture finds of its slot.
    public enum SlotState: Sendable, Hashable {
        case missing
        /// `pg_replication_slots.wal_status = 'lost'`: the server removed WAL the slot still needed.
        case invalidated
        case usable
    }

    /// Why the pipeline's history ended; nil from `evaluate` when it did not.
    public enum Break: Sendable, Hashable, CustomStringConvertible {
        /// The slot is gone while the state topic holds history (completed snapshots or a remembered source).
        case slotMissing(slot: String)
        /// The slot is missing and the pipeline followed another one (`--slot` changed?).
        case otherSlotMissing(slot: String, remembered: String)
        case slotInvalidated(slot: String)
        case otherSystem(remembered: String, current: String)
        case otherTimeline(remembered: Int64, current: Int64)
        /// Tables the pipeline captured are no longer published (`ALTER PUBLICATION … DROP TABLE`, or the
        /// publication dropped): PostgreSQL decodes none of their changes made since, so the slot moves past them.
        case tablesLeftPublication(tables: [String], publication: String)

        public var description: String {
            switch self {
            case .slotMissing(let slot):
                "replication slot \(slot) no longer exists, although this pipeline has streamed from it: changes made "
                    + "since it was dropped (deletes included) are not in the WAL any more"
            case .otherSlotMissing(let slot, let remembered):
                "replication slot \(slot) does not exist, and this pipeline streamed from slot \(remembered): if that "
                    + "slot still exists, restart with --slot \(remembered); if it is gone too, the changes made since "
                    + "are not in the WAL any more"
            case .slotInvalidated(let slot):
                "replication slot \(slot) was invalidated (wal_status 'lost'; max_slot_wal_keep_size?): the WAL it "
                    + "still needed is gone"
            case .otherSystem(let remembered, let current):
                "the source is another cluster (system identifier \(current), the pipeline followed \(remembered)): "
                    + "its LSNs do not continue the ones already written"
            case .otherTimeline(let remembered, let current):
                "the source is on timeline \(current), the pipeline followed timeline \(remembered) (a failover or a "
                    + "point-in-time restore): changes written from the old timeline may be missing here, and LSNs "
                    + "may go back"
            case .tablesLeftPublication(let tables, let publication):
                "\(tables.count == 1 ? "table" : "tables") \(tables.joined(separator: ", ")) left publication "
                    + "\(publication) while this pipeline captured \(tables.count == 1 ? "it" : "them") (ALTER "
                    + "PUBLICATION … DROP TABLE, or the publication dropped): PostgreSQL decodes none of "
                    + "\(tables.count == 1 ? "its" : "their") changes made since, and the slot moves past them"
            }
        }
    }

    /// - Parameters:
    ///   - remembered: the source history the state topic holds, if any.
    ///   - hasCompletedSnapshots: the state topic remembers completed table snapshots (a pipeline from before the
    ///     state topic remembered its source has history all the same).
    ///   - unpublished: the tables this generation loaded completely that `publication` does not publish now (all
    ///     of them when it does not exist).
    ///     A table not loaded yet is new to the selection (its snapshot reads it whole), not a break.
    public static func evaluate(
        remembered: SourceHistory?, hasCompletedSnapshots: Bool, current: SystemIdentity, slot: String,
        slotState: SlotState, publication: String, unpublished: [String]
    ) -> Break? {
        if let remembered {
            if remembered.systemIdentifier != current.systemIdentifier {
                return .otherSystem(remembered: remembered.systemIdentifier, current: current.systemIdentifier)
            }
            if remembered.timeline != current.timeline {
                return .otherTimeline(remembered: remembered.timeline, current: current.timeline)
            }
        }
        switch slotState {
        case .invalidated: return .slotInvalidated(slot: slot)
        case .missing where remembered.map({ $0.slot != slot }) ?? false:
            return .otherSlotMissing(slot: slot, remembered: remembered?.slot ?? "")
        case .missing where remembered != nil || hasCompletedSnapshots: return .slotMissing(slot: slot)
        case .missing: return nil
        case .usable where !unpublished.isEmpty:
            return .tablesLeftPublication(tables: unpublished.sorted(), publication: publication)
        case .usable: return nil
        }
    }
}

/// Capture found that the source's history ended (`HistoryCheck.Break`) and was not told to start a new generation:
/// final, never retried.
public struct NewHistoryError: Error, CustomStringConvertible, Sendable {
    public var cause: HistoryCheck.Break

    public var description: String { "\(cause). \(recovery)" }

    /// What the operator does about it.
    public var recovery: String {
        "Capture cannot continue this history: the target would keep rows the source no longer has, or "
            + "ignore new changes whose versions sort below old ones. To recover, restart capture with "
            + "--new-generation: it takes a new snapshot of every table under a new generation, whose versions "
            + "order above the old history's, and apply then removes the items the new snapshot did not write."
    }
}
