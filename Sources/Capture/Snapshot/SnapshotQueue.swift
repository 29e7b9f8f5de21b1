import Synchronization

/// A piece of a table's snapshot: the whole table, or the rows whose (single, integer) key lies in a range.
struct SnapshotChunk: Sendable {
    var table: SourceTable
    /// `key >= lower`, nil for no lower bound.
    var lower: Int64?
    /// `key < upper`, nil for no upper bound.
    var upper: Int64?

    /// The SQL condition selecting this chunk's rows (none for a whole table).
    var condition: String? {
        guard lower != nil || upper != nil, let key = table.captureKey?.first else { return nil }
        let column = SQLIdentifier.quote(key)
        return [lower.map { "\(column) >= \($0)" }, upper.map { "\(column) < \($0)" }].compactMap { $0 }
            .joined(separator: " AND ")
    }
}

/// The chunks still to read, handed out one at a time to the snapshot workers, and the count of chunks each table
/// still waits for: a table is complete when its last chunk is.
final class SnapshotQueue: Sendable {
    private struct State {
        var chunks: [SnapshotChunk]
        var remaining: [String: (chunks: Int, rows: Int)]
    }

    private let state: Mutex<State>

    /// Largest tables first, so the long ones start early and workers finish together.
    init(_ chunks: [SnapshotChunk]) {
        var remaining: [String: (chunks: Int, rows: Int)] = [:]
        for chunk in chunks { remaining[chunk.table.name.description, default: (0, 0)].chunks += 1 }
        state = Mutex(State(chunks: chunks.sorted { $0.table.totalBytes < $1.table.totalBytes }, remaining: remaining))
    }

    func next() -> SnapshotChunk? {
        state.withLock { $0.chunks.popLast() }
    }

    /// Records a finished chunk; returns the table's total rows when that was its last chunk.
    func finished(_ chunk: SnapshotChunk, rows: Int) -> Int? {
        state.withLock { state in
            let name = chunk.table.name.description
            guard var entry = state.remaining[name] else { return nil }
            entry.chunks -= 1
            entry.rows += rows
            state.remaining[name] = entry
            return entry.chunks == 0 ? entry.rows : nil
        }
    }
}

/// Splits tables with a single integer key and many rows into key ranges, so several workers (each in the same
/// exported snapshot) read one large table in parallel. The ranges are open at both ends: the boundaries come
/// from the catalog's current min/max, and no row can fall outside the ranges whatever the snapshot holds.
enum SnapshotPlanner {
    static let integerTypes: Set<String> = ["int2", "int4", "int8"]

    static func chunks(
        for tables: [SourceTable], rowsPerChunk: Int64, bounds: (SourceTable) async throws -> (min: Int64, max: Int64)?
    ) async throws -> [SnapshotChunk] {
        var chunks: [SnapshotChunk] = []
        for table in tables {
            let rows = table.estimatedRowCount ?? 0
            guard rows > rowsPerChunk, let key = table.captureKey, key.count == 1,
                let column = table.columns.first(where: { $0.name == key[0] }), !column.type.isArray,
                integerTypes.contains(column.type.name), let (low, high) = try await bounds(table), high > low
            else {
                chunks.append(SnapshotChunk(table: table))
                continue
            }
            let count = Int64(min(64, (rows + rowsPerChunk - 1) / rowsPerChunk))
            let step = max(1, (high - low + 1) / count)
            var boundaries = (1..<count).map { low + $0 * step }
            boundaries = boundaries.filter { $0 > low && $0 <= high }
            let lowers: [Int64?] = [nil] + boundaries.map(Optional.some)
            let uppers: [Int64?] = boundaries.map(Optional.some) + [nil]
            chunks += zip(lowers, uppers).map { SnapshotChunk(table: table, lower: $0, upper: $1) }
        }
        return chunks
    }
}
