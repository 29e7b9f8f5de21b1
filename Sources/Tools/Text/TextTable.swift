/// Plain-text tables for terminal output: columns padded to their widest cell, names left-aligned and numbers
/// right-aligned; a left-aligned last column gets no trailing blanks.
enum TextTable {
    /// - Parameter rightAligned: the columns holding numbers; by default every column but the first.
    static func lines(_ rows: [[String]], rightAligned: Set<Int>? = nil) -> [String] {
        let columns = rows.first?.count ?? 0
        let right = rightAligned ?? Set(1..<max(columns, 1))
        let widths = (0..<columns).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { cells in
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                if right.contains(column) { return padding + cell }
                return column == columns - 1 ? cell : cell + padding
            }.joined(separator: "  ")
        }
    }
}
