/// The Kafka Connect logical type names (`schema.name`) Debezium's PostgreSQL connector gives columns, and the
/// PostgreSQL type each stands for in a Ferry record's `types`: the one home of these names, for the decoder
/// (`DebeziumColumnValue`) and the encoder (`DebeziumColumnEncoder`).
public enum DebeziumLogicalType: String, Sendable, CaseIterable {
    case date = "io.debezium.time.Date"
    case connectDate = "org.apache.kafka.connect.data.Date"
    case time = "io.debezium.time.Time"
    case microTime = "io.debezium.time.MicroTime"
    case nanoTime = "io.debezium.time.NanoTime"
    case connectTime = "org.apache.kafka.connect.data.Time"
    case zonedTime = "io.debezium.time.ZonedTime"
    case timestamp = "io.debezium.time.Timestamp"
    case microTimestamp = "io.debezium.time.MicroTimestamp"
    case nanoTimestamp = "io.debezium.time.NanoTimestamp"
    case connectTimestamp = "org.apache.kafka.connect.data.Timestamp"
    case zonedTimestamp = "io.debezium.time.ZonedTimestamp"
    case microDuration = "io.debezium.time.MicroDuration"
    case interval = "io.debezium.time.Interval"
    case decimal = "org.apache.kafka.connect.data.Decimal"
    case variableScaleDecimal = "io.debezium.data.VariableScaleDecimal"
    case json = "io.debezium.data.Json"
    case uuid = "io.debezium.data.Uuid"
    case xml = "io.debezium.data.Xml"
    case enumeration = "io.debezium.data.Enum"
    case bits = "io.debezium.data.Bits"

    /// `Decimal`'s parameters: the scale, and the column's precision (Debezium adds the latter).
    public static let scaleParameter = "scale"
    public static let precisionParameter = "connect.decimal.precision"
    /// The schema parameter Debezium adds with `column.propagate.source.type`: the column's PostgreSQL type.
    public static let sourceTypeParameter = "__debezium.source.column.type"
    /// `VariableScaleDecimal`'s struct fields and its `doc`.
    public static let variableScaleFields = (scale: "scale", value: "value")
    public static let variableScaleDoc = "Variable scaled decimal"

    /// The type Ferry's records name (their `types` entry) for a column of this logical type, if it is one Ferry
    /// reads.
    public var ferryTypeName: String? {
        switch self {
        case .date, .connectDate: "date"
        case .time, .microTime, .nanoTime, .connectTime: "time"
        case .zonedTime: "timetz"
        case .timestamp, .microTimestamp, .nanoTimestamp, .connectTimestamp: "timestamp"
        case .zonedTimestamp: "timestamptz"
        case .decimal, .variableScaleDecimal: "numeric"
        case .json: "jsonb"
        case .uuid: "uuid"
        case .xml: "xml"
        case .enumeration: "text"
        case .microDuration, .interval: "interval"
        case .bits: nil
        }
    }
}

/// The layout of a Debezium PostgreSQL change event's value — the envelope's fields, the `source` block's, the
/// values of `source.snapshot` — and the names of its Connect schemas: one home for decoder and encoder.
public enum DebeziumEnvelope {
    public static let before = "before"
    public static let after = "after"
    public static let source = "source"
    public static let transaction = "transaction"
    public static let op = "op"
    public static let tsMs = "ts_ms"
    public static let tsUs = "ts_us"
    public static let tsNs = "ts_ns"

    /// The `source` block's fields (`io.debezium.connector.postgresql.Source`).
    public enum SourceField: String, Sendable, CaseIterable {
        case version, connector, name
        case tsMs = "ts_ms"
        case snapshot, db, sequence
        case tsUs = "ts_us"
        case tsNs = "ts_ns"
        case schema, table, txId, lsn, xmin
    }

    /// `source.snapshot`: a string since Debezium 1.x (a boolean in older examples).
    public enum SnapshotMarker: String, Sendable, CaseIterable {
        case `true`, first, last, firstInDataCollection = "first_in_data_collection"
        case lastInDataCollection = "last_in_data_collection", incremental, `false`
    }

    /// The connector's name in `source.connector`.
    public static let connectorName = "postgresql"
    public static let sourceSchemaName = "io.debezium.connector.postgresql.Source"
    /// The transaction block's schema (`provide.transaction.metadata`; null when off).
    public static let transactionSchemaName = "event.block"
    public static let transactionFields = ["id", "total_order", "data_collection_order"]
    /// The headers on the two events of a primary-key change: the delete carries the new key, the create the old.
    public static let newKeyHeader = "__debezium.newkey"
    public static let oldKeyHeader = "__debezium.oldkey"

    /// `<topic.prefix>.<schema>.<table>.Key`, `.Value` (the row struct) and `.Envelope`.
    public static func schemaName(prefix: String, schema: String, table: String, _ kind: SchemaKind) -> String {
        "\(prefix).\(schema).\(table).\(kind.rawValue)"
    }

    public enum SchemaKind: String, Sendable {
        case key = "Key", value = "Value", envelope = "Envelope"
    }
}
