import Shared
import Synchronization

/// A piece of a table's snapshot: the whole table, the rows whose (single, integer) key lies in a range, or a
/// segment of the table-settings ranges; only the rows the table's filters take.
struct SnapshotChunk: Sendable {
    var table: SourceTable
    /// `key >= lower`, nil for no lower bound.
    var lower: Int64?
    /// `key < upper`, nil for no upper bound.
    var upper: Int64?
    /// A segment of the user's `parallel-load` ranges (`SnapshotSegments`); then `lower` and `upper` are nil.
    var segment: String?
    /// The rows the selection rules' filters take (`TableRowFilter.sqlCondition`); nil: every row.
    var rowFilter: String?
    /// DMS `load-order`: chunks of a higher number are read first.
    var loadOrder = 0

    init(table: SourceTable, lower: Int64? = nil, upper: Int64? = nil, segment: String? = nil) {
        self.table = table
        self.lower = lower
        self.upper = upper
        self.segment = segment
    }

    /// The SQL condition selecting this chunk's rows (none for a whole, unfiltered table).
    var condition: String? {
        var parts: [String] = []
        if lower != nil || upper != nil, let key = table.captureKey?.first {
            let column = SQLIdentifier.quote(key)
            parts += [lower.map { "\(column) >= \($0)" }, upper.map { "\(column) < \($0)" }].compactMap { $0 }
        }
        if let segment { parts.append(segment) }
        if let rowFilter { parts.append("(\(rowFilter))") }
        return parts.isEmpty ? nil : parts.joined(separator: " AND ")
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

    /// Higher `load-order` first (DMS); within one, largest tables first, so the long ones start early and
    /// workers finish together. A table's chunks keep their order. (`next` takes from the end.)
    init(_ chunks: [SnapshotChunk]) {
        var remaining: [String: (chunks: Int, rows: Int)] = [:]
        for chunk in chunks { remaining[chunk.table.name.description, default: (0, 0)].chunks += 1 }
        let ordered = chunks.enumerated().sorted { lhs, rhs in
            let (l, r) = (lhs.element, rhs.element)
            if l.loadOrder != r.loadOrder { return l.loadOrder > r.loadOrder }
            if l.table.totalBytes != r.table.totalBytes { return l.table.totalBytes > r.table.totalBytes }
            if l.table.name != r.table.name { return l.table.name < r.table.name }
            return lhs.offset < rhs.offset
        }.map(\.element)
        state = Mutex(State(chunks: ordered.reversed(), remaining: remaining))
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

    /// - Parameter rules: the table's filters, load order and user-defined ranges (which replace the key ranges).
    static func chunks(
        for tables: [SourceTable], rowsPerChunk: Int64, rules: (SourceTable) -> TableCaptureRules = { _ in TableCaptureRules() },
        bounds: (SourceTable) async throws -> (min: Int64, max: Int64)?
    ) async throws -> [SnapshotChunk] {
        var chunks: [SnapshotChunk] = []
        for table in tables {
            let tableRules = rules(table)
            let rowFilter = try TableRowFilter(tableRules.rowFilters, columns: table.filterColumns)?.sqlCondition
            var tableChunks = try await self.chunks(of: table, ranges: tableRules.snapshotRanges, rowsPerChunk: rowsPerChunk, bounds: bounds)
            for index in tableChunks.indices {
                tableChunks[index].rowFilter = rowFilter
                tableChunks[index].loadOrder = tableRules.loadOrder
            }
            chunks += tableChunks
        }
        return chunks
    }

    private static func chunks(
        of table: SourceTable, ranges: SnapshotRanges?, rowsPerChunk: Int64,
        bounds: (SourceTable) async throws -> (min: Int64, max: Int64)?
    ) async throws -> [SnapshotChunk] {
        if let ranges {
            return try SnapshotSegments.conditions(ranges, columns: table.filterColumns).map {
                SnapshotChunk(table: table, segment: $0)
            }
        }
        let rows = table.estimatedRowCount ?? 0
        guard rows > rowsPerChunk, let key = table.captureKey, key.count == 1,
            let column = table.columns.first(where: { $0.name == key[0] }), !column.type.isArray,
            integerTypes.contains(column.type.name), let (low, high) = try await bounds(table), high > low
        else {
            return [SnapshotChunk(table: table)]
        }
        let count = Int64(min(64, (rows + rowsPerChunk - 1) / rowsPerChunk))
        let step = max(1, (high - low + 1) / count)
        var boundaries = (1..<count).map { low + $0 * step }
        boundaries = boundaries.filter { $0 > low && $0 <= high }
        let lowers: [Int64?] = [nil] + boundaries.map(Optional.some)
        let uppers: [Int64?] = boundaries.map(Optional.some) + [nil]
        return zip(lowers, uppers).map { SnapshotChunk(table: table, lower: $0, upper: $1) }
    }
}
