import Shared

extension RecordShape {
    /// The shape of a table's rows as capture reads them: every column, keyed by the table's capture key
    /// (`SourceTable.captureKey`). Nil when the table has no usable key.
    public convenience init?(table: SourceTable) {
        guard let key = table.captureKey else { return nil }
        self.init(
            schema: table.name.schema, table: table.name.name,
            columns: table.columns.map { Column(name: $0.name, type: $0.type) },
            keyIndexes: key.compactMap { name in table.columns.firstIndex { $0.name == name } })
    }

    /// Streams the rows of `SELECT <columns> FROM <table> <clause>` through `COPY ... TO STDOUT`, decoded to
    /// record values, to `consume` a chunk at a time (memory stays bounded whatever the table's size); returns the
    /// number of rows. The snapshot reads tables this way, and `ferry validate` reads them as the snapshot does.
    /// - Parameter clause: SQL after the table name, e.g. `WHERE "id" < 1000` or `ORDER BY random() LIMIT 10`.
    public func readRows(
        on connection: PostgresConnection, clause: String? = nil, _ consume: ([Values]) async throws -> Void
    ) async throws -> Int {
        var scratch: [UInt8] = []
        return try await connection.copyOut(copyStatement(clause: clause)) { chunk in
            var rows: [Values] = []
            rows.reserveCapacity(chunk.rowCount)
            for index in 0..<chunk.rowCount {
                rows.append(try chunk.withRow(index) { row in try decodeCopyRow(row, scratch: &scratch) })
            }
            try await consume(rows)
        }
    }

    /// The COPY format the snapshot reads the table's rows in: binary when every column's binary form is
    /// converted (`PostgresBinaryValue`), which costs the server and capture less; otherwise text.
    var snapshotCopyFormat: PostgresCopyFormat {
        columns.allSatisfy { PostgresBinaryValue.Kind($0.type) != nil } ? .binary : .text
    }

    /// `COPY (SELECT <columns> FROM <table> <clause>) TO STDOUT`: the columns in shape order, so field i is column i.
    func copyStatement(clause: String?, format: PostgresCopyFormat = .text) -> String {
        let columnList = columns.map { SQLIdentifier.quote($0.name) }.joined(separator: ", ")
        let tableName = SQLIdentifier.quote(schema: schema, name: table)
        return "COPY (SELECT \(columnList) FROM \(tableName)\(clause.map { " " + $0 } ?? "")) TO STDOUT"
            + format.statementOptions
    }

    private func decodeCopyRow(_ row: UnsafeRawBufferPointer, scratch: inout [UInt8]) throws -> Values {
        var values = Values(repeating: .null, count: columns.count)
        try CopyTextRow.forEachField(in: row, scratch: &scratch) { index, field in
            guard index < values.count else {
                throw MalformedCopyRow(reason: "more fields than the \(values.count) columns of \(schema).\(table)")
            }
            values[index] = try PostgresTextValue.decode(field, as: columns[index].type)
        }
        return values
    }
}
