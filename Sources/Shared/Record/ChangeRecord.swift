/// One row change as it travels through Kafka: the value of a message on `<prefix>.<schema>.<table>`.
/// Field names on the wire follow Debezium's envelope; see docs/design.md, "The change record".
public struct ChangeRecord: Sendable, Hashable {
    public var op: Operation
    /// When capture produced the record, in milliseconds since the Unix epoch.
    public var tsMs: Int64
    public var source: SourceInfo
    /// The primary-key (replica identity) columns; nil for truncates.
    public var key: JSONObject?
    /// The old row, when the replica identity provides it.
    public var before: JSONObject?
    /// The new row; nil for deletes and truncates.
    public var after: JSONObject?
    /// Each column's PostgreSQL type, in column order.
    public var types: [ColumnType]
    /// Columns whose value PostgreSQL did not send (unchanged TOAST). They are absent from `after`, never faked.
    public var unchanged: [String]

    public init(
        op: Operation, tsMs: Int64, source: SourceInfo, key: JSONObject?, before: JSONObject?, after: JSONObject?,
        types: [ColumnType] = [], unchanged: [String] = []
    ) {
        self.op = op
        self.tsMs = tsMs
        self.source = source
        self.key = key
        self.before = before
        self.after = after
        self.types = types
        self.unchanged = unchanged
    }

    /// The order in which consumers fold records of one row (docs/design.md, invariants 1 and 2).
    public var version: RecordVersion {
        RecordVersion(
            generation: source.generation, commitLSN: source.commitLSN, seq: source.seq, scheme: source.versionScheme)
    }

    /// The topic this record belongs to: `<prefix>.<schema>.<table>` (`TopicLayout`), the prefix being `source.name`.
    public var topic: String { source.topic }
}

/// What happened to the row; the raw values are Debezium's `op` codes.
public enum Operation: String, Sendable, Hashable, CaseIterable {
    /// A row read by the snapshot.
    case read = "r"
    case create = "c"
    case update = "u"
    case delete = "d"
    case truncate = "t"

    /// The one ASCII byte of the code, for the encoder.
    var code: UInt8 {
        switch self {
        case .read: UInt8(ascii: "r")
        case .create: UInt8(ascii: "c")
        case .update: UInt8(ascii: "u")
        case .delete: UInt8(ascii: "d")
        case .truncate: UInt8(ascii: "t")
        }
    }
}

/// Where a change came from: the `source` block of the record.
public struct SourceInfo: Sendable, Hashable {
    public var connector: String
    public var version: String
    /// The topic prefix.
    public var name: String
    public var db: String
    public var schema: String
    public var table: String
    /// True for snapshot reads (op `r`).
    public var snapshot: Bool
    public var txId: Int64?
    /// This change's own WAL position.
    public var lsn: LSN
    /// The transaction's commit LSN; for snapshot reads, the consistent point of the exporting slot.
    public var commitLSN: LSN
    /// 0-based index of the change in its transaction; -1 for snapshot reads.
    public var seq: Int64
    /// Commit time in PostgreSQL, in milliseconds since the Unix epoch.
    public var tsMs: Int64
    /// The source history the record belongs to (docs/design.md, invariant 1): 0 for the first; capture starts a
    /// new one, with `--new-generation`, after a lost slot, a failover or a restore made LSNs restart.
    public var generation: Int64
    /// What `commitLSN` and `seq` hold: Ferry's own positions, or those `DebeziumSourcePosition` reads from a
    /// Debezium record (docs/design.md, "Debezium records"). Never written: a Ferry record is always `.ferry`.
    public var versionScheme: VersionScheme

    /// The topic of the records from this source: `<prefix>.<schema>.<table>` (`TopicLayout`).
    public var topic: String {
        TopicLayout(prefix: name).tableTopic(schema: schema, table: table)
    }

    public init(
        connector: String = "ferry", version: String, name: String, db: String, schema: String, table: String,
        snapshot: Bool, txId: Int64?, lsn: LSN, commitLSN: LSN, seq: Int64, tsMs: Int64, generation: Int64 = 0,
        versionScheme: VersionScheme = .ferry
    ) {
        self.connector = connector
        self.version = version
        self.name = name
        self.db = db
        self.schema = schema
        self.table = table
        self.snapshot = snapshot
        self.txId = txId
        self.lsn = lsn
        self.commitLSN = commitLSN
        self.seq = seq
        self.tsMs = tsMs
        self.generation = generation
        self.versionScheme = versionScheme
    }
}

/// Which source's positions a version holds, and so how its item version number lays them out (docs/design.md,
/// "The item version"). Versions of two schemes never meet on one item: a prefix's topics come from one source.
public enum VersionScheme: Sendable, Hashable {
    /// `(generation, commit_lsn, seq)` of Ferry's own records.
    case ferry
    /// `(last commit LSN, LSN)` of a Debezium record, `seq` holding the LSN (-1 for snapshot rows).
    case debezium
}

/// One entry of the record's `types` map: a column and the PostgreSQL type name shown for it (`int4`, `text[]`).
public struct ColumnType: Sendable, Hashable {
    public var column: String
    public var typeName: String

    public init(column: String, typeName: String) {
        self.column = column
        self.typeName = typeName
    }
}

/// `(generation, commit_lsn, seq)`, compared lexicographically (docs/design.md, invariants 1 and 2). It only grows
/// along the stream; a snapshot row (`seq` -1) sorts before every streamed change committed at its consistent point;
/// and every version of a generation sorts above every version of the older ones, whatever their LSNs.
public struct RecordVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var generation: Int64
    public var commitLSN: LSN
    public var seq: Int64
    public var scheme: VersionScheme

    public init(generation: Int64 = 0, commitLSN: LSN, seq: Int64, scheme: VersionScheme = .ferry) {
        self.generation = generation
        self.commitLSN = commitLSN
        self.seq = seq
        self.scheme = scheme
    }

    /// Below every version of `generation` and above every version of the older ones: what a generation's sweep
    /// deletes older than.
    public static func start(ofGeneration generation: Int64) -> RecordVersion {
        RecordVersion(generation: generation, commitLSN: LSN(rawValue: 0), seq: -1)
    }

    public static func < (lhs: RecordVersion, rhs: RecordVersion) -> Bool {
        (lhs.generation, lhs.commitLSN, lhs.seq) < (rhs.generation, rhs.commitLSN, rhs.seq)
    }

    /// `commit_lsn#seq`, prefixed by `g<generation>:` from the second generation on; a Debezium version as
    /// `last_commit_lsn@lsn` (`@-1` for a snapshot row).
    public var description: String {
        switch scheme {
        case .ferry: generation == 0 ? "\(commitLSN)#\(seq)" : "g\(generation):\(commitLSN)#\(seq)"
        case .debezium: seq < 0 ? "\(commitLSN)@\(seq)" : "\(commitLSN)@\(LSN(rawValue: UInt64(seq)))"
        }
    }
}
