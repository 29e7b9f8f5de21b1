import Shared

/// A `table-settings` rule: how one table's full load is split (`parallel-load`). As in DMS, it names one table
/// exactly (no wildcards), and PostgreSQL sources support only `type: ranges` (the DMS User Guide, "Table and
/// collection settings rules and operations"). `lob-settings` are accepted but not applied: apply's LOB handling
/// is the task's, the same for every table, and a mode other than `none` (DMS: "use the task's") is warned about.
struct TableSettingsRule: Sendable {
    let id: String
    let schema: String
    let table: String
    /// nil when the rule has no `parallel-load`.
    let ranges: SnapshotRanges?
    /// Said at start-up: settings of the rule that are accepted and not applied.
    let warnings: [String]

    /// DMS allows up to 10 columns in `ranges`.
    static let maximumRangeColumns = 10

    init(_ fields: RuleFields, id: String) throws(TableMappingsError) {
        let locator = try fields.object("object-locator")
        let schema = try locator.string("schema-name")
        let table = try locator.string("table-name")
        guard !schema.contains("%"), !table.contains("%") else {
            throw fields.failure("a table-settings rule needs an exact schema and table name, without '%'")
        }
        self.id = id
        self.schema = schema
        self.table = table
        warnings = try Self.lobSettingsWarnings(fields)
        guard let parallelLoad = try fields.optionalObject("parallel-load") else {
            ranges = nil
            return
        }
        let type = try parallelLoad.string("type")
        switch type {
        case "ranges":
            ranges = try Self.ranges(parallelLoad, rule: id)
        case "none":
            // DMS's way to say "no parallel load for this table": Ferry's own key ranges split its snapshot.
            ranges = nil
        case "partitions-auto", "partitions-list", "subpartitions-auto":
            throw fields.failure(
                "parallel-load type '\(type)' is not supported for a PostgreSQL source (DMS supports only 'ranges' "
                    + "there); a partitioned table is read through its root. Use type 'ranges' with columns and "
                    + "boundaries to split its snapshot")
        default:
            throw fields.failure("unknown parallel-load type '\(type)' (expected ranges or none)")
        }
    }

    /// DMS's per-table LOB mode (`limited` with `bulk-max-size`, `unlimited`) would override the task's for one
    /// table; apply's limit (`TargetMetadata.LimitedSizeLobMode`) is one for all tables, so it is not applied.
    private static func lobSettingsWarnings(_ fields: RuleFields) throws(TableMappingsError) -> [String] {
        guard let lobSettings = try fields.optionalObject("lob-settings"),
            let mode = try lobSettings.optionalString("mode"), mode != "none"
        else { return [] }
        return [
            "\(fields.rule): lob-settings mode '\(mode)' is ignored: large values are handled as the task settings say "
                + "for every table (TargetMetadata.LimitedSizeLobMode and LobMaxSize; without them, written whole)"
        ]
    }

    private static func ranges(_ fields: RuleFields, rule: String) throws(TableMappingsError) -> SnapshotRanges {
        let columns = try fields.stringArray("columns")
        guard !columns.isEmpty, columns.count <= maximumRangeColumns else {
            throw fields.failure("\(fields.label("columns")) must name 1 to \(maximumRangeColumns) columns")
        }
        guard Set(columns).count == columns.count else { throw fields.failure("\(fields.label("columns")) names a column twice") }
        guard let entries = try fields.optionalArray("boundaries"), !entries.isEmpty else {
            throw fields.failure("\(fields.label("boundaries")) must list at least one boundary")
        }
        var boundaries: [[String]] = []
        for (index, entry) in entries.enumerated() {
            let label = fields.label("boundaries[\(index)]")
            guard case .array(let values) = entry, values.count == columns.count else {
                throw fields.failure("\(label) must be an array of \(columns.count) value(s), one per column")
            }
            var boundary: [String] = []
            for value in values {
                switch value {
                case .string(let text), .number(let text): boundary.append(text)
                default: throw fields.failure("\(label) must hold strings or numbers")
                }
            }
            boundaries.append(boundary)
        }
        return SnapshotRanges(rule: rule, columns: columns, boundaries: boundaries)
    }
}
