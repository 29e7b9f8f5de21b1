import Shared

/// What capture knows about a table's columns when it turns a row into a change record: names, types and which
/// columns form the key. Built from the catalog for the snapshot and from pgoutput's Relation message for the stream
/// (so a column added mid-stream appears in the next records).
/// A class: the stream reaches a table's shape for every change, and copying a struct of five arrays and strings
/// cost a retain and a release of each every time.
public final class RecordShape: Sendable {
    public let schema: String
    public let table: String
    public let columns: [Column]
    /// Indexes into `columns` of the key (primary key / replica identity) columns, in key order.
    public let keyIndexes: [Int]
    /// The record's `types` map, computed once per shape.
    public let types: [ColumnType]

    public struct Column: Sendable {
        public var name: String
        public var type: PostgresColumnType

        public init(name: String, type: PostgresColumnType) {
            self.name = name
            self.type = type
        }
    }

    public init(schema: String, table: String, columns: [Column], keyIndexes: [Int]) {
        self.schema = schema
        self.table = table
        self.columns = columns
        self.keyIndexes = keyIndexes
        types = columns.map { ColumnType(column: $0.name, typeName: $0.type.recordTypeName) }
    }

    /// A row image: converted values in column order; nil marks a value PostgreSQL did not send (unchanged TOAST).
    public typealias Values = [JSONValue?]

    /// The row as a JSON object, leaving out unsent columns.
    public func object(_ values: Values) -> JSONObject {
        var fields: [JSONObject.Field] = []
        fields.reserveCapacity(values.count)
        for (column, value) in zip(columns, values) {
            if let value { fields.append(JSONObject.Field(name: column.name, value: value)) }
        }
        return JSONObject(fields: fields)
    }

    /// The key columns of the row; nil if one of them was not sent.
    public func key(_ values: Values) -> JSONObject? {
        var fields: [JSONObject.Field] = []
        for index in keyIndexes {
            guard index < values.count, let value = values[index] else { return nil }
            fields.append(JSONObject.Field(name: columns[index].name, value: value))
        }
        return JSONObject(fields: fields)
    }
}
