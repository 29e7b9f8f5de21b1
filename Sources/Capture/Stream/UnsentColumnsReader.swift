import Logging
import Shared

/// Reads back from the source the values of columns PostgreSQL did not send (unchanged TOAST), for the records of a
/// batch that need them (docs/design.md, "Unchanged TOAST columns"), before the batch is published: one statement
/// per table and batch (of at most `keysPerStatement` rows) on a normal connection.
struct UnsentColumnsReader: Sendable {
    static let keysPerStatement = 1000
    let connection: PostgresConnection
    let logger: Logger

    /// `batch` with its `unsentColumns` records written again with the values read; a record whose row is gone
    /// stays as it was.
    func fill(_ batch: ChangeBatch) async throws -> ChangeBatch {
        guard !batch.unsentColumns.isEmpty else { return batch }
        var rows: [Int: [String: String?]] = [:]
        let byShape = Dictionary(grouping: batch.unsentColumns.indices) {
            ObjectIdentifier(batch.unsentColumns[$0].encoder.shape)
        }
        for indexes in byShape.values {
            for start in stride(from: 0, to: indexes.count, by: Self.keysPerStatement) {
                let group = Array(indexes[start..<min(start + Self.keysPerStatement, indexes.count)])
                let found = try await currentRows(of: group.map { batch.unsentColumns[$0] })
                for (index, row) in zip(group, found) { rows[index] = row }
            }
        }
        return try batch.fillingUnsentColumns(from: rows)
    }

    /// The current row of each record (nil: gone), read once the statement sees the records' transactions.
    private func currentRows(of records: [UnsentColumnsRecord]) async throws -> [[String: String?]?] {
        let shape = records[0].encoder.shape
        let keys = records.map(\.keyTexts)
        let distinctKeys = Array(Set(keys.compactMap { $0 }))
        guard !distinctKeys.isEmpty else { return keys.map { _ in nil } }
        let columns = Set(records.flatMap(\.unsent)).sorted().map { shape.columns[$0].name }
        let query = UnsentColumnsQuery(shape: shape, columns: columns, keys: distinctKeys)
        var backoff = Backoff(initial: .milliseconds(1), maximum: .seconds(1))
        let started = ContinuousClock.now
        var warned = false
        while true {
            let result: PostgresQueryResult
            do {
                result = try await connection.query(query.sql, query.parameters)
            } catch let error as PostgresError where error.sqlState == "42P01" || error.sqlState == "42703" {
                // The table or a column is gone (dropped, renamed) since: nothing to read, the records keep listing them.
                logger.warning(
                    "cannot read back unchanged TOAST columns",
                    metadata: ["table": "\(shape.schema).\(shape.table)", "error": "\(error)"])
                return keys.map { _ in nil }
            }
            let (snapshot, rows) = try query.read(result)
            if records.allSatisfy({ snapshot.sees(UInt32(truncatingIfNeeded: $0.position.txId)) }) {
                return keys.map { key in key.flatMap { rows[$0] } }
            }
            // A commit streamed before other sessions see it (e.g. waiting for a synchronous standby): read again.
            // The stream waits meanwhile, so say so once it is more than a moment.
            if !warned, started.duration(to: .now) > .seconds(10) {
                warned = true
                logger.warning(
                    "waiting for a streamed commit to become visible to read back unchanged TOAST columns (a synchronous standby not answering?)",
                    metadata: ["table": "\(shape.schema).\(shape.table)"])
            }
            try await Task.sleep(for: backoff.next())
        }
    }
}
