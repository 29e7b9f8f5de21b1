import Apply
import Capture
import Shared

/// Everything `ferry validate` is told.
public struct ValidateOptions: Sendable {
    public var source: SourceConnector
    public var mappings: TableMappings
    /// `--tables` (`TableSelection.parse(tables:)`): these tables, each of which the mappings must select; nil:
    /// every table the selection rules take.
    public var tables: TableSelection?
    /// Rows to sample per table (random, looked up by key); nil compares every row and item.
    public var sampleSize: Int?
    public var versionAttribute = "_ferry_version"
    /// The records apply read (`--input-format`): how it laid out the item versions.
    public var inputFormat = InputFormat.ferry
    /// Validate again once every period, until stopped (`PeriodicValidation`); nil: one run.
    public var every: Duration?
    /// Tables compared at once, each on its own session in the one snapshot (DMS's `ThreadCount`).
    public var parallelTables = 1
    /// How many differences per table the report shows in detail (all are counted).
    public var detailLimit = 10
    /// A table's comparison stops after this many failures (DMS's `TableFailureMaxCount`); nil: never.
    public var tableFailureLimit: Int?
    /// The run stops comparing after this many failures over all tables (DMS's `FailureMaxCount`); nil: never.
    public var runFailureLimit: Int?
    /// How long after taking the source snapshot DynamoDB is read: changes committed before the snapshot that
    /// apply has not written yet get this long to land, instead of showing as differences (DMS's
    /// `ValidationQueryCdcDelaySeconds` / `RecordFailureDelayLimitInMinutes`). The snapshot is held meanwhile.
    public var targetReadDelay: Duration = .zero
    /// The attribute in which apply names the values limited LOB mode cut (`ApplyOptions.truncationAttribute`);
    /// such a value compares as a prefix of the source's. Nil: none.
    public var truncationAttribute: String? = "_ferry_truncated"

    public init(source: SourceConnector, mappings: TableMappings, tables: TableSelection? = nil, sampleSize: Int? = nil) {
        self.source = source
        self.mappings = mappings
        self.tables = tables
        self.sampleSize = sampleSize
    }

    /// The tables to read: the named ones, or those the selection rules take (as capture picks them).
    var selection: TableSelection {
        if let tables { return tables }
        let mappings = self.mappings
        return .matching { schema, table in mappings.isSelected(schema: schema, table: table) }
    }
}
