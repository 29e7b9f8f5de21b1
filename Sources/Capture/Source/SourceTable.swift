import Shared

/// A table capture reads, as the catalog describes it when capture starts.
public struct SourceTable: Sendable, Hashable {
    public var name: QualifiedTableName
    /// `pg_class.oid`: what pgoutput's Relation messages identify the table by.
    public var oid: UInt32
    /// Not-dropped, non-generated columns in `attnum` order. pgoutput does not send generated columns (unless
    /// PostgreSQL 18's `publish_generated_columns` asks it to), so the snapshot leaves them out too.
    public var columns: [SourceColumn]
    /// Primary-key column names in key order; empty when the table has none.
    public var primaryKey: [String]
    public var replicaIdentity: ReplicaIdentity
    /// `reltuples` summed over the table's partitions; nil when PostgreSQL has never estimated it (no VACUUM or
    /// ANALYZE yet). For progress reports only.
    public var estimatedRowCount: Int64?
    /// Bytes on disk including indexes and TOAST, summed over partitions.
    public var totalBytes: Int64
    /// A partitioned table (`relkind` 'p'): it holds no rows itself; its partitions do.
    public var isPartitioned: Bool

    public init(
        name: QualifiedTableName, oid: UInt32, columns: [SourceColumn], primaryKey: [String],
        replicaIdentity: ReplicaIdentity, estimatedRowCount: Int64?, totalBytes: Int64, isPartitioned: Bool
    ) {
        self.name = name
        self.oid = oid
        self.columns = columns
        self.primaryKey = primaryKey
        self.replicaIdentity = replicaIdentity
        self.estimatedRowCount = estimatedRowCount
        self.totalBytes = totalBytes
        self.isPartitioned = isPartitioned
    }

    /// The columns that identify a row in Kafka keys, or nil when the table cannot be captured.
    ///
    /// The key must be computable from every change PostgreSQL streams, and a delete carries only the old row's
    /// replica identity. So:
    /// - REPLICA IDENTITY DEFAULT: the primary key (none → not capturable);
    /// - REPLICA IDENTITY USING INDEX: that index's columns, even when a different primary key exists, because a
    ///   delete carries nothing else (not capturable when that index has since been dropped);
    /// - REPLICA IDENTITY FULL: the primary key when there is one, otherwise every column (the old row is sent in
    ///   full; an update that changes any value then becomes delete + create, like a primary-key update);
    /// - REPLICA IDENTITY NOTHING: not capturable (PostgreSQL even rejects UPDATE and DELETE on such a table once
    ///   it is published).
    public var captureKey: [String]? {
        switch replicaIdentity {
        case .default: primaryKey.isEmpty ? nil : primaryKey
        case .index(let columns): columns.isEmpty ? nil : columns
        case .full: primaryKey.isEmpty ? columns.map(\.name) : primaryKey
        case .nothing: nil
        }
    }
}

/// One column of a `SourceTable`.
public struct SourceColumn: Sendable, Hashable {
    public var name: String
    /// The base type (through domains; the element type for arrays), as the record's `types` map names it.
    public var type: PostgresColumnType
    /// `atttypmod` (-1 when the type has none), `NOT NULL`, and whether the type is an enum: what Debezium's
    /// format describes a column by (`--record-format debezium`).
    public var typeModifier: Int32
    public var isNullable: Bool
    public var isEnum: Bool

    public init(name: String, type: PostgresColumnType, typeModifier: Int32 = -1, isNullable: Bool = true, isEnum: Bool = false) {
        self.name = name
        self.type = type
        self.typeModifier = typeModifier
        self.isNullable = isNullable
        self.isEnum = isEnum
    }
}

/// What PostgreSQL writes to the WAL about the old row of an update or delete (`pg_class.relreplident`).
public enum ReplicaIdentity: Sendable, Hashable {
    /// 'd': the primary-key columns (nothing when there is no primary key).
    case `default`
    /// 'f': the whole old row.
    case full
    /// 'i': the columns of the chosen unique index, in index order (empty if the index was dropped since).
    case index(columns: [String])
    /// 'n': nothing.
    case nothing
}
