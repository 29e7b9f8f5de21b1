import NIOCore
import Shared

/// Where a change of a filtered table stands against the filter (docs/design.md, "Row filters"): whether its new
/// row matches, and whether its old row did (nil: unknown — the old row is not in the WAL, or only its key is and
/// the filter reads other columns). Pure: reads the decoded tuples only.
struct RowFilterDecision {
    /// The new row matches (always true for a table without a filter).
    var newRow: Bool
    /// The old row matched: true, false, or nil for unknown.
    var oldRow: Bool?

    /// An update's standing; `filter` nil: every row matches.
    init(
        _ filter: TableRowFilter?, update: PgOutputMessage.Update, encoder: StreamRecordEncoder, at lsn: LSN
    ) throws(ChangeAssembler.Failure) {
        guard let filter else {
            (newRow, oldRow) = (true, true)
            return
        }
        // An unchanged TOAST value in the new row is the old row's, which a full old row carries.
        let fallback = update.oldTuple?.isFullRow == true ? update.oldTuple?.tuple : nil
        guard let newRow = try Self.matches(filter, update.newTuple, fallback: fallback, encoder: encoder) else {
            let columns = filter.columnIndexes.sorted().compactMap { index in
                update.newTuple.columns[index] == .unchangedToast ? encoder.shape.columns[index].name : nil
            }
            throw ChangeAssembler.Failure(
                description: "an update of \(encoder.table) at \(lsn) left the filtered column(s) "
                    + "\(columns.joined(separator: ", ")) unsent (an unchanged TOAST value) and the WAL has no old row "
                    + "to take it from, so the row filter cannot tell whether the row matches. Fix: ALTER TABLE "
                    + "\(QualifiedTableName(schema: encoder.shape.schema, name: encoder.shape.table).quoted) REPLICA "
                    + "IDENTITY FULL, so that later updates carry the old row. This change is in the slot already: to "
                    + "get past it, drop capture's replication slot and restart capture with --new-generation, which "
                    + "loads every table again")
        }
        self.newRow = newRow
        oldRow = try update.oldTuple.flatMap { old throws(ChangeAssembler.Failure) in try Self.matches(filter, old: old, encoder: encoder) }
    }

    /// Whether an old row (of an update or delete) matched; nil when the columns the WAL carries cannot tell.
    static func matches(
        _ filter: TableRowFilter, old: OldTuple, encoder: StreamRecordEncoder
    ) throws(ChangeAssembler.Failure) -> Bool? {
        // A key-only old row holds the replica identity's columns; the others are sent as NULL but unknown.
        let known = old.isFullRow ? nil : Set(encoder.shape.keyIndexes)
        return try matches(filter, old.tuple, known: known, encoder: encoder)
    }

    /// Whether a row matches; `known`: the columns the tuple really carries (nil: all); `fallback` supplies the
    /// unsent (unchanged TOAST) values.
    static func matches(
        _ filter: TableRowFilter, _ tuple: TupleData, known: Set<Int>? = nil, fallback: TupleData? = nil,
        encoder: StreamRecordEncoder
    ) throws(ChangeAssembler.Failure) -> Bool? {
        do throws(RowFilterError) {
            return try filter.matches { index in
                guard known?.contains(index) ?? true, index < tuple.columns.count else { return .unknown }
                var value = tuple.columns[index]
                if value == .unchangedToast, let fallback, index < fallback.columns.count { value = fallback.columns[index] }
                switch value {
                case .null: return .null
                case .unchangedToast: return .unknown
                case .text(let bytes), .binary(let bytes): return .text(String(buffer: bytes))
                }
            }
        } catch {
            throw ChangeAssembler.Failure(description: "table \(encoder.table): \(error)")
        }
    }
}
