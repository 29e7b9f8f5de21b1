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
    /// How many differences per table the report shows in detail (all are counted).
    public var detailLimit = 10

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
