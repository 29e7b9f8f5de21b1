/// The report for people: a header naming the source and snapshot, one line per table, the first differences of
/// each table that has any, and a verdict.
///
/// ```
/// Validated postgresql://ferry:***@db:5432/loans at snapshot LSN 0/1A2B3C4 (every row compared)
///
/// TABLE          TARGET    SOURCE ROWS  TARGET ITEMS  MISSING  EXTRA  DIFFERING  TOLERATED  STATUS
/// public.loans   Loans               5             5        1      1          1          0  DIFF
///
/// public.loans → Loans: 3 differences
///   missing    id=2
///   extra      id=99
///   differing  id=3
///                amount: PostgreSQL 10.50, DynamoDB 10.51
///
/// DIFF: 3 differences in 1 of 1 tables
/// ```
public enum ValidationTableFormat {
    public static func render(_ report: ValidationReport) -> String {
        let scope = report.sampleSize.map { "a random sample of up to \($0) rows per table" } ?? "every row compared"
        var lines = ["Validated \(report.source) at snapshot LSN \(report.snapshotLSN) (\(scope))", ""]
        lines += summaryTable(report.tables)
        for table in report.tables where !table.differences.isEmpty {
            lines.append("")
            lines += details(table)
        }
        lines.append("")
        lines.append(verdict(report))
        return lines.joined(separator: "\n") + "\n"
    }

    private static func summaryTable(_ tables: [TableReport]) -> [String] {
        let header = ["TABLE", "TARGET", "SOURCE ROWS", "TARGET ITEMS", "MISSING", "EXTRA", "DIFFERING", "TOLERATED", "STATUS"]
        let rows = tables.map { table in
            [
                table.table.description, table.targetTable, String(table.sourceRows), String(table.targetItems),
                String(table.missing), table.extra.map(String.init) ?? "-", String(table.differing),
                String(table.tolerated), table.statusWord,
            ]
        }
        // Names left-aligned, counts right-aligned under their headings, the status left-aligned.
        return TextTable.lines([header] + rows, rightAligned: Set(2...7))
    }

    private static func details(_ table: TableReport) -> [String] {
        let total = table.failures + table.tolerated
        let shown = table.differences.count
        let counted = total == 1 ? "1 difference" : "\(total) differences"
        var lines = ["\(table.table) → \(table.targetTable): \(counted)" + (shown < total ? ", first \(shown) shown" : "")]
        let kindWidth = Difference.Kind.unmappable.rawValue.count
        for difference in table.differences {
            let kind = difference.kind.rawValue.padding(toLength: kindWidth, withPad: " ", startingAt: 0)
            var line = "  \(kind)  \(AttributeValueText.key(difference.key))"
            if difference.isTolerated, let lsn = difference.targetCommitLSN {
                line += "  newer in DynamoDB (committed at \(lsn), after the snapshot)"
            }
            if let reason = difference.reason { line += ": \(reason)" }
            lines.append(line)
            let indent = String(repeating: " ", count: kindWidth + 4)
            for attribute in difference.attributes {
                lines.append(
                    "\(indent)\(attribute.name): PostgreSQL \(AttributeValueText.text(attribute.source)), "
                        + "DynamoDB \(AttributeValueText.text(attribute.target))")
            }
        }
        return lines
    }

    private static func verdict(_ report: ValidationReport) -> String {
        let tolerated = report.tables.reduce(0) { $0 + $1.tolerated }
        let truncated = report.tables.reduce(0) { $0 + $1.truncated }
        let stopped = report.tables.filter(\.stoppedAtFailureLimit).map(\.table.description)
        let notes =
            (tolerated == 0 ? [] : ["\(tolerated) newer in DynamoDB, tolerated"])
            + (truncated == 0 ? [] : ["\(truncated) with values cut by limited LOB mode"])
            + (stopped.isEmpty ? [] : ["stopped at the failure limit: \(stopped.joined(separator: ", "))"])
        let toleratedNote = notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))"
        let failing = report.tables.filter { !$0.isClean }
        guard !failing.isEmpty else {
            let tables = report.tables.count == 1 ? "1 table" : "\(report.tables.count) tables"
            return "OK: \(tables) match\(toleratedNote)"
        }
        var findings: [String] = []
        let failures = failing.reduce(0) { $0 + $1.failures }
        if failures > 0 {
            let tables = failing.filter { $0.failures > 0 }.count
            findings.append((failures == 1 ? "1 difference" : "\(failures) differences") + " in \(tables) of \(report.tables.count) tables")
        }
        // Only a sample can be failing without failures: its row and item counts disagree.
        let countsOnly = failing.filter { $0.failures == 0 }.count
        if countsOnly > 0 {
            findings.append(
                "row and item counts differ in \(countsOnly) of \(report.tables.count) tables (the sample cannot tell which keys)")
        }
        return "DIFF: " + findings.joined(separator: "; ") + toleratedNote
    }
}
