import NIOCore
import Shared

/// What the stream hands the publisher, in stream order.
public enum PublishItem: Sendable {
    case record(ChangeRecord)
    /// A transaction ended here: once its records are durable, the slot may be acknowledged up to this LSN.
    case committed(LSN)
    /// Nothing of ours is pending up to this LSN (a heartbeat between transactions).
    case idle(LSN)
}

/// Where a WAL message becomes a change record: turns decoded pgoutput messages into records with their version
/// (`commit_lsn` = the transaction's final LSN from Begin, `seq` = index in the transaction). Pure: no I/O.
/// Relations are registered by the caller (resolving their column types needs the catalog).
public struct ChangeAssembler: Sendable {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    private let prefix: String
    private let database: String
    private var shapes: [UInt32: RecordShape] = [:]
    private var transaction: Transaction?
    /// Logical messages with this prefix are capture's own heartbeats.
    public static let heartbeatPrefix = "ferry.heartbeat"

    private struct Transaction {
        var finalLSN: LSN
        var xid: UInt32
        var commitMs: Int64
        var nextSeq: Int64 = 0
    }

    public init(prefix: String, database: String) {
        self.prefix = prefix
        self.database = database
    }

    public var isInTransaction: Bool { transaction != nil }

    /// The shape to use for `oid` from now on (after a Relation message, e.g. when a column was added).
    public mutating func register(_ shape: RecordShape, for oid: UInt32) {
        shapes[oid] = shape
    }

    /// The items `message` (at WAL position `lsn`) produces.
    public mutating func handle(_ message: PgOutputMessage, at lsn: LSN, nowMs: Int64) throws -> [PublishItem] {
        switch message {
        case .begin(let begin):
            transaction = Transaction(
                finalLSN: begin.finalLSN, xid: begin.xid, commitMs: begin.commitTimestamp.unixMilliseconds)
            return []
        case .commit(let commit):
            transaction = nil
            return [.committed(commit.endLSN)]
        case .insert(let insert):
            let shape = try shape(insert.relationOID)
            let after = try values(insert.newTuple, shape)
            return [try record(.create, shape, key: shape.key(after), before: nil, after: after, at: lsn, nowMs: nowMs)]
        case .update(let update):
            let shape = try shape(update.relationOID)
            let after = try values(update.newTuple, shape)
            let old = try update.oldTuple.map { try oldValues($0, shape) }
            let newKey = shape.key(after)
            // A key change is a delete of the old key and a create of the new one (DESIGN.md invariant 3).
            if let old, let oldKey = shape.key(old.values), oldKey != newKey {
                return [
                    try record(.delete, shape, key: oldKey, before: old.full ? old.values : nil, after: nil, at: lsn, nowMs: nowMs),
                    try record(.create, shape, key: newKey, before: nil, after: after, at: lsn, nowMs: nowMs),
                ]
            }
            return [
                try record(.update, shape, key: newKey, before: old?.full == true ? old?.values : nil, after: after, at: lsn, nowMs: nowMs)
            ]
        case .delete(let delete):
            let shape = try shape(delete.relationOID)
            let old = try oldValues(delete.oldTuple, shape)
            return [
                try record(.delete, shape, key: shape.key(old.values), before: old.full ? old.values : nil, after: nil, at: lsn, nowMs: nowMs)
            ]
        case .truncate(let truncate):
            return try truncate.relationOIDs.map { oid in
                try record(.truncate, try shape(oid), key: nil, before: nil, after: nil, at: lsn, nowMs: nowMs)
            }
        case .logicalMessage(let logical):
            if !logical.isTransactional, logical.prefix == Self.heartbeatPrefix, transaction == nil { return [.idle(lsn)] }
            return []
        case .relation, .type, .origin:
            return []
        }
    }

    private func shape(_ oid: UInt32) throws -> RecordShape {
        guard let shape = shapes[oid] else {
            throw Failure(description: "pgoutput sent a change for relation \(oid) before its Relation message")
        }
        return shape
    }

    private mutating func record(
        _ op: Operation, _ shape: RecordShape, key: JSONObject?, before: RecordShape.Values?, after: RecordShape.Values?,
        at lsn: LSN, nowMs: Int64
    ) throws -> PublishItem {
        guard var transaction else { throw Failure(description: "pgoutput sent a change outside a transaction at \(lsn)") }
        guard op == .truncate || key != nil else {
            throw Failure(description: "a \(op) on \(shape.schema).\(shape.table) at \(lsn) has no key values (replica identity?)")
        }
        let source = SourceInfo(
            version: FerryVersion.current, name: prefix, db: database, schema: shape.schema, table: shape.table,
            snapshot: false, txId: Int64(transaction.xid), lsn: lsn, commitLSN: transaction.finalLSN, seq: transaction.nextSeq,
            tsMs: transaction.commitMs)
        transaction.nextSeq += 1
        self.transaction = transaction
        return .record(
            ChangeRecord(
                op: op, tsMs: nowMs, source: source, key: key, before: before.map(shape.object),
                after: after.map(shape.object), types: shape.types, unchanged: after.map(shape.unsentColumns) ?? []))
    }

    private func values(_ tuple: TupleData, _ shape: RecordShape) throws -> RecordShape.Values {
        guard tuple.columns.count == shape.columns.count else {
            throw Failure(
                description: "\(shape.schema).\(shape.table): tuple has \(tuple.columns.count) columns, relation has \(shape.columns.count)")
        }
        return try zip(tuple.columns, shape.columns).map { value, column in
            switch value {
            case .null: return .null
            case .unchangedToast: return nil
            case .text(let bytes), .binary(let bytes):
                do {
                    return try bytes.withUnsafeReadableBytes { try PostgresTextValue.decode($0, as: column.type) }
                } catch {
                    throw Failure(description: "\(shape.schema).\(shape.table).\(column.name): \(error)")
                }
            }
        }
    }

    private func oldValues(_ tuple: OldTuple, _ shape: RecordShape) throws -> (values: RecordShape.Values, full: Bool) {
        switch tuple {
        case .key(let data): (try values(data, shape), false)
        case .fullRow(let data): (try values(data, shape), true)
        }
    }
}
