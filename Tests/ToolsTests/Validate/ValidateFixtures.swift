import Apply
import Capture
import Shared
import Tools

/// A report with one clean table and one with every kind of difference, for the format tests.
enum ValidateFixtures {
    static let clean: TableReport = {
        var report = TableReport(
            table: QualifiedTableName(schema: "dbo", name: "Payments"), targetTable: "Payments", sourceRows: 120,
            targetItems: 120, isSample: false)
        report.compared = 120
        return report
    }()

    static let differing: TableReport = {
        var report = TableReport(
            table: QualifiedTableName(schema: "public", name: "loans"), targetTable: "Loans", sourceRows: 5,
            targetItems: 5, isSample: false)
        report.compared = 5
        report.missing = 1
        report.extra = 1
        report.differing = 1
        report.tolerated = 1
        report.differences = [
            Difference(kind: .missing, key: ["id": .n("2")]),
            Difference(
                kind: .differing, key: ["id": .n("3")],
                attributes: [
                    AttributeDifference(name: "amount", source: .n("10.50"), target: .n("10.51")),
                    AttributeDifference(name: "note", source: .s("a\"b"), target: nil),
                ],
                targetVersion: "3900000000001", targetCommitLSN: LSN(rawValue: 390)),
            Difference(
                kind: .extra, key: ["id": .n("99")], targetVersion: "5000000000000",
                targetCommitLSN: LSN(rawValue: 0x1F4), isTolerated: true),
            Difference(kind: .extra, key: ["id": .n("100")]),
        ]
        return report
    }()

    static func report(_ tables: [TableReport], sampleSize: Int? = nil) -> ValidationReport {
        ValidationReport(
            source: "postgresql://ferry:***@db:5432/loans", snapshotLSN: LSN(rawValue: 0x1A2_B3C4),
            sampleSize: sampleSize, versionAttribute: "_ferry_version", tables: tables)
    }
}
