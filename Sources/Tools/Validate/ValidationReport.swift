import Shared

/// The result of one `ferry validate` run: where and when PostgreSQL was read, and each table's findings.
public struct ValidationReport: Sendable, Hashable {
    /// The source URL with its password hidden.
    public var source: String
    /// `pg_current_wal_lsn()` just before the snapshot was taken.
    public var snapshotLSN: LSN
    /// Rows sampled per table; nil for a full comparison.
    public var sampleSize: Int?
    public var versionAttribute: String
    public var tables: [TableReport]

    public init(source: String, snapshotLSN: LSN, sampleSize: Int?, versionAttribute: String, tables: [TableReport]) {
        self.source = source
        self.snapshotLSN = snapshotLSN
        self.sampleSize = sampleSize
        self.versionAttribute = versionAttribute
        self.tables = tables
    }

    public var isClean: Bool { tables.allSatisfy(\.isClean) }

    /// `OK` or `DIFF`, as both output formats write it.
    public var statusWord: String { isClean ? "OK" : "DIFF" }
}

extension TableReport {
    public var statusWord: String { isClean ? "OK" : "DIFF" }
}
