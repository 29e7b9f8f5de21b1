import Shared

/// The statement that reads back the unsent columns of one table's records: the current rows of their keys, and
/// the snapshot the statement read them in (`pg_current_snapshot()`, PostgreSQL 13 or later).
struct UnsentColumnsQuery {
    let sql: String
    let parameters: [String?]
    private let keyCount: Int
    private let columns: [String]

    /// - Parameters:
    ///   - columns: the column names to read.
    ///   - keys: the rows' key values in PostgreSQL's text format, in the shape's key order (at least one).
    init(shape: RecordShape, columns: [String], keys: [[String]]) {
        let keyNames = shape.keyIndexes.map { shape.columns[$0].name }
        func columnList(_ names: [String]) -> String { names.map { "r." + SQLIdentifier.quote($0) }.joined(separator: ", ") }
        var number = 0
        let rows = keys.map { key in
            "(" + key.map { _ in number += 1; return "$\(number)" }.joined(separator: ", ") + ")"
        }
        // A LEFT JOIN, so the snapshot comes back even when no row does.
        sql = """
            SELECT s.visible, \(columnList(keyNames + columns))
            FROM (SELECT pg_current_snapshot()::text AS visible) AS s
            LEFT JOIN \(SQLIdentifier.quote(schema: shape.schema, name: shape.table)) AS r
              ON (\(columnList(keyNames))) IN (\(rows.joined(separator: ", ")))
            """
        parameters = keys.flatMap { $0 }
        keyCount = keyNames.count
        self.columns = columns
    }

    /// The snapshot, and each row found by its key values: column name → text value (nil for NULL).
    func read(
        _ result: PostgresQueryResult
    ) throws(ChangeAssembler.Failure) -> (snapshot: TransactionSnapshot, rows: [[String]: [String: String?]]) {
        guard let text = result.rows.first?.first ?? nil, let snapshot = TransactionSnapshot(text) else {
            throw ChangeAssembler.Failure(description: "reading back unchanged TOAST columns: no snapshot in \(result.rows.first ?? [])")
        }
        var rows: [[String]: [String: String?]] = [:]
        for row in result.rows {
            let key = row[1...keyCount].compactMap { $0 }
            guard key.count == keyCount else { continue }  // the join's row when nothing matched
            rows[key] = Dictionary(uniqueKeysWithValues: zip(columns, row[(1 + keyCount)...]))
        }
        return (snapshot, rows)
    }
}
