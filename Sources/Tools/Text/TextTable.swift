/// Plain-text tables for terminal output: columns padded to their widest cell, the first left-aligned (names),
/// the others right-aligned (numbers).
enum TextTable {
    static func lines(_ rows: [[String]]) -> [String] {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { cells in
            zip(cells, widths).enumerated().map { index, pair in
                let padding = String(repeating: " ", count: pair.1 - pair.0.count)
                return index == 0 ? pair.0 + padding : padding + pair.0
            }.joined(separator: "  ")
        }
    }
}
