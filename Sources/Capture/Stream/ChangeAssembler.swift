import NIOCore
import Shared

/// Where WAL messages become change records: turns decoded pgoutput messages into the Kafka messages of their
/// records, with their version (`commit_lsn` = the transaction's final LSN from Begin, `seq` = index in the
/// transaction), written straight into a `ChangeBatchBuilder` with the points where transactions end. Pure: no I/O.
/// Relations are registered by the caller (resolving their column types needs the catalog).
public struct ChangeAssembler: ~Copyable {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    private let prefix: String
    private let database: String
    private let generation: Int64
    /// Follow each delete with a tombstone (same key, null value), so compaction can drop the row.
    private let tombstones: Bool
    private var encoders: [UInt32: StreamRecordEncoder] = [:]
    /// The row filters of the tables that have them (`TableCaptureRules.rowFilters`), by relation.
    private var rowFilters: [UInt32: TableRowFilter] = [:]
    /// Tables a shared publication sends that capture does not select, by relation: their changes are dropped.
    private var unselected: [UInt32: String] = [:]
    /// Changes dropped per unselected table since the last `takeDropped()`.
    private var dropped: [String: Int] = [:]
    private var transaction: Transaction?
    /// The old and new row images of the change at hand and their keys, reused from change to change.
    private var old = RowImage()
    private var new = RowImage()
    private var oldKey = ByteSink(capacity: 128)
    private var newKey = ByteSink(capacity: 128)
    /// The keys changed while incremental snapshot chunks are read (docs/design.md, "Incremental snapshots").
    var windows: SnapshotWindows
    /// Logical messages with this prefix are capture's own heartbeats.
    public static let heartbeatPrefix = "ferry.heartbeat"

    private struct Transaction {
        var finalLSN: LSN
        var xid: UInt32
        var commitMs: Int64
        var nextSeq: Int64 = 0
    }

    /// Have every unchanged TOAST column read back, not only those of a key change (`--reselect-unchanged`).
    private let reselectUnchanged: Bool

    public init(
        prefix: String, database: String, generation: Int64 = 0, tombstones: Bool, reselectUnchanged: Bool = false,
        windowKeyLimit: Int = CaptureOptions.defaultIncrementalWindowKeyLimit
    ) {
        windows = SnapshotWindows(keyLimit: windowKeyLimit)
        self.generation = generation
        self.prefix = prefix
        self.database = database
        self.tombstones = tombstones
        self.reselectUnchanged = reselectUnchanged
    }

    public var isInTransaction: Bool { transaction != nil }

    /// The shape to use for `oid` from now on (after a Relation message, e.g. when a column was added).
    /// `rowFilter`: the rows of the table capture sends (nil: all).
    mutating func register(_ shape: RecordShape, for oid: UInt32, rowFilter: TableRowFilter? = nil) {
        encoders[oid] = StreamRecordEncoder(shape: shape, prefix: prefix, database: database, generation: generation)
        rowFilters[oid] = rowFilter
    }

    /// Drops the changes of `oid` from now on: a table the publication sends but capture does not select (a
    /// publication shared with other tools). Only its name is kept, not its shape.
    mutating func ignore(_ oid: UInt32, table: String) {
        unselected[oid] = table
        encoders[oid] = nil
        rowFilters[oid] = nil
    }

    /// The changes of unselected tables dropped since the last call, per table.
    mutating func takeDropped() -> [String: Int] {
        defer { dropped = [:] }
        return dropped
    }

    /// Whether `oid` is an unselected table's; counts its change as dropped.
    private mutating func drops(_ oid: UInt32) -> Bool {
        guard let table = unselected[oid] else { return false }
        dropped[table, default: 0] += 1
        return true
    }

    /// Writes the records `message` (at WAL position `lsn`) produces into `batch`, stamped with `nowMs`.
    mutating func handle(
        _ message: PgOutputMessage, at lsn: LSN, nowMs: Int64, into batch: inout ChangeBatchBuilder
    ) throws {
        switch message {
        case .begin(let begin):
            transaction = Transaction(
                finalLSN: begin.finalLSN, xid: begin.xid, commitMs: begin.commitTimestamp.unixMilliseconds)
        case .commit(let commit):
            transaction = nil
            batch.acknowledgeable(at: commit.endLSN)
        case .insert(let insert):
            if drops(insert.relationOID) { break }
            let encoder = try encoder(insert.relationOID)
            if let filter = rowFilters[insert.relationOID],
                try RowFilterDecision.matches(filter, insert.newTuple, encoder: encoder) != true
            {
                break
            }
            try encoder.read(insert.newTuple, into: &new)
            let position = try nextPosition(at: lsn, nowMs: nowMs)
            try writeNewKey(encoder, .create, at: lsn)
            windows.changed(table: encoder.table, key: newKey.bytes)
            encoder.write(
                .create, key: newKey.bytes, before: nil, after: new.fields.bytes, unchanged: new.unsent, at: position,
                tombstone: false, into: &batch)
        case .update(let update):
            if drops(update.relationOID) { break }
            try handle(update, at: lsn, nowMs: nowMs, into: &batch)
        case .delete(let delete):
            if drops(delete.relationOID) { break }
            let encoder = try encoder(delete.relationOID)
            // A row the filter never took needs no delete; one it may have taken (unknown: a key-only old row and
            // a filter on other columns) gets it, which changes nothing where the target lacks the row.
            if let filter = rowFilters[delete.relationOID],
                try RowFilterDecision.matches(filter, old: delete.oldTuple, encoder: encoder) == false
            {
                break
            }
            try encoder.read(delete.oldTuple.tuple, into: &old)
            let position = try nextPosition(at: lsn, nowMs: nowMs)
            try writeOldKey(encoder, at: lsn)
            windows.changed(table: encoder.table, key: oldKey.bytes)
            encoder.write(
                .delete, key: oldKey.bytes, before: delete.oldTuple.isFullRow ? old.fields.bytes : nil, after: nil,
                unchanged: [], at: position, tombstone: tombstones, into: &batch)
        case .truncate(let truncate):
            for oid in truncate.relationOIDs where !drops(oid) {
                let encoder = try encoder(oid)
                windows.truncated(table: encoder.table)
                encoder.write(
                    .truncate, key: nil, before: nil, after: nil, unchanged: [],
                    at: try nextPosition(at: lsn, nowMs: nowMs), tombstone: false, into: &batch)
            }
        case .logicalMessage(let logical):
            if !logical.isTransactional, logical.prefix == Self.heartbeatPrefix, transaction == nil {
                batch.acknowledgeable(at: lsn)
            }
        case .relation, .type, .origin:
            break
        }
    }

    private mutating func handle(
        _ update: PgOutputMessage.Update, at lsn: LSN, nowMs: Int64, into batch: inout ChangeBatchBuilder
    ) throws {
        let encoder = try encoder(update.relationOID)
        try encoder.read(update.newTuple, into: &new)
        newKey.truncate(to: 0)
        let hasNewKey = encoder.rows.writeKey(of: new, to: &newKey)
        var hasOldKey = false
        if let oldTuple = update.oldTuple {
            try encoder.read(oldTuple.tuple, into: &old)
            oldKey.truncate(to: 0)
            hasOldKey = encoder.rows.writeKey(of: old, to: &oldKey)
        }
        let before = update.oldTuple?.isFullRow == true ? old.fields.bytes : nil
        let filtered = try RowFilterDecision(
            rowFilters[update.relationOID], update: update, encoder: encoder, at: lsn)
        // A key change is a delete of the old key and a create of the new one (docs/design.md invariant 3).
        if hasOldKey, !hasNewKey || !newKey.bytes.elementsEqual(oldKey.bytes) {
            // The window notes every change of a key, written or filtered out: the stream decides that row.
            windows.changed(table: encoder.table, key: oldKey.bytes)
            if hasNewKey { windows.changed(table: encoder.table, key: newKey.bytes) }
            if filtered.oldRow != false {
                encoder.write(
                    .delete, key: oldKey.bytes, before: before, after: nil, unchanged: [],
                    at: try nextPosition(at: lsn, nowMs: nowMs), tombstone: tombstones, into: &batch)
            }
            guard filtered.newRow else { return }
            let position = try nextPosition(at: lsn, nowMs: nowMs)
            guard hasNewKey else { throw missingKey(.create, encoder, at: lsn) }
            encoder.write(
                .create, key: newKey.bytes, before: nil, after: new.fields.bytes, unchanged: new.unsent,
                at: position, tombstone: false, into: &batch)
            // PostgreSQL does not send an unchanged TOAST value even on a key change, and no later record of the
            // new key would: its value is read back from the source (docs/design.md, "Unchanged TOAST columns").
            if !new.unsent.isEmpty {
                needsUnsentColumns(.create, encoder, update.newTuple, before: nil, at: position, into: &batch)
            }
            return
        }
        guard hasNewKey else { throw missingKey(.update, encoder, at: lsn) }
        windows.changed(table: encoder.table, key: newKey.bytes)
        // Filtered tables (docs/design.md, "Row filters"): a row leaving the filter is deleted, a row entering
        // it (or maybe entering: old row unknown) is sent whole.
        if !filtered.newRow {
            guard filtered.oldRow != false else { return }
            encoder.write(
                .delete, key: newKey.bytes, before: before, after: nil, unchanged: [],
                at: try nextPosition(at: lsn, nowMs: nowMs), tombstone: tombstones, into: &batch)
            return
        }
        let op: Operation = filtered.oldRow == false ? .create : .update
        let position = try nextPosition(at: lsn, nowMs: nowMs)
        encoder.write(
            op, key: newKey.bytes, before: before, after: new.fields.bytes, unchanged: new.unsent, at: position,
            tombstone: false, into: &batch)
        if reselectUnchanged || filtered.oldRow != true, !new.unsent.isEmpty {
            needsUnsentColumns(op, encoder, update.newTuple, before: before, at: position, into: &batch)
        }
    }

    /// Marks the record just written (of `tuple`, keyed by `newKey`) as one whose unsent columns are to be read back.
    private func needsUnsentColumns(
        _ op: Operation, _ encoder: StreamRecordEncoder, _ tuple: TupleData, before: UnsafeBufferPointer<UInt8>?,
        at position: ChangePosition, into batch: inout ChangeBatchBuilder
    ) {
        batch.needsUnsentColumns(
            UnsentColumnsRecord(
                message: batch.messages.count - 1, op: op, encoder: encoder, key: Array(newKey.bytes), tuple: tuple,
                before: before.map(Array.init), position: position))
    }

    private func encoder(_ oid: UInt32) throws -> StreamRecordEncoder {
        guard let encoder = encoders[oid] else {
            throw Failure(description: "pgoutput sent a change for relation \(oid) before its Relation message")
        }
        return encoder
    }

    /// The next record's place in its transaction.
    private mutating func nextPosition(at lsn: LSN, nowMs: Int64) throws -> ChangePosition {
        guard var transaction else { throw Failure(description: "pgoutput sent a change outside a transaction at \(lsn)") }
        let position = ChangePosition(
            txId: Int64(transaction.xid), lsn: lsn, commitLSN: transaction.finalLSN, seq: transaction.nextSeq,
            commitMs: transaction.commitMs, nowMs: nowMs)
        transaction.nextSeq += 1
        self.transaction = transaction
        return position
    }

    /// Writes the new image's key to `newKey`.
    private mutating func writeNewKey(_ encoder: StreamRecordEncoder, _ op: Operation, at lsn: LSN) throws {
        newKey.truncate(to: 0)
        guard encoder.rows.writeKey(of: new, to: &newKey) else { throw missingKey(op, encoder, at: lsn) }
    }

    /// Writes the old image's key to `oldKey`.
    private mutating func writeOldKey(_ encoder: StreamRecordEncoder, at lsn: LSN) throws {
        oldKey.truncate(to: 0)
        guard encoder.rows.writeKey(of: old, to: &oldKey) else { throw missingKey(.delete, encoder, at: lsn) }
    }

    private func missingKey(_ op: Operation, _ encoder: StreamRecordEncoder, at lsn: LSN) -> Failure {
        Failure(description: "a \(op) on \(encoder.table) at \(lsn) has no key values (replica identity?)")
    }
}

extension OldTuple {
    var tuple: TupleData {
        switch self {
        case .key(let data), .fullRow(let data): data
        }
    }

    var isFullRow: Bool {
        if case .fullRow = self { true } else { false }
    }
}
