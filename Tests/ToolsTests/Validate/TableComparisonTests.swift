import Apply
import Capture
import Shared
import Testing

@testable import Tools

@Suite struct TableComparisonTests {
    static let snapshot = LSN(rawValue: 1_000)
    /// Versions of changes committed before and after the snapshot.
    static let older: DynamoDBAttributeValue = .n("9990000000000")
    static let newer: DynamoDBAttributeValue = .n("10010000000001")

    func comparison(
        isSample: Bool = false, detailLimit: Int = 10, failureLimit: Int? = nil, truncationAttribute: String? = nil
    ) -> TableComparison {
        TableComparison(
            report: TableReport(
                table: QualifiedTableName(schema: "public", name: "loans"), targetTable: "Loans", sourceRows: 4,
                targetItems: 4, isSample: isSample),
            tolerance: VersionTolerance(snapshotLSN: Self.snapshot, versionAttribute: "_ferry_version"),
            detailLimit: detailLimit, failureLimit: failureLimit, truncationAttribute: truncationAttribute)
    }

    func row(_ id: Int, amount: String = "10.50") -> DynamoDBItem {
        ["id": .n(String(id)), "amount": .n(amount)]
    }

    func stored(_ id: Int, amount: String = "10.5", version: DynamoDBAttributeValue = older) -> DynamoDBItem {
        ["id": .n(String(id)), "amount": .n(amount), "_ferry_version": version]
    }

    func key(_ id: Int) -> DynamoDBItem { ["id": .n(String(id))] }

    @Test func countsEachKindOfFailure() {
        var comparison = comparison()
        comparison.compare(expected: row(1), key: key(1), stored: stored(1))
        comparison.compare(expected: row(2), key: key(2), stored: nil)
        comparison.compare(expected: row(3), key: key(3), stored: stored(3, amount: "10.51"))
        comparison.unmappable(key: key(4), reason: "row {\"id\":4}: number out of range")
        comparison.extra(stored(9), key: key(9))
        let report = comparison.report
        #expect((report.compared, report.missing, report.extra, report.differing, report.tolerated) == (4, 2, 1, 1, 0))
        #expect(report.failures == 4 && !report.isClean)
        #expect(report.differences.map(\.kind) == [.missing, .differing, .unmappable, .extra])
        #expect(
            report.differences[1].attributes == [AttributeDifference(name: "amount", source: .n("10.50"), target: .n("10.51"))])
        #expect(report.differences[1].targetVersion == "9990000000000")
        #expect(report.differences[1].targetCommitLSN == LSN(rawValue: 999))
    }

    /// A value limited LOB mode cut (named in the item's truncation attribute, a prefix of the source's) is
    /// counted as truncated, not as a difference; a named value that is not a prefix, or an unnamed cut value, is.
    @Test func valuesCutByLimitedLobModeAreTruncatedNotDifferences() {
        var comparison = comparison(truncationAttribute: "_ferry_truncated")
        func row(_ id: Int) -> DynamoDBItem {
            ["id": .n(String(id)), "body": .s("héllo world"), "blob": .b([1, 2, 3, 4]), "_doc": .m(["note": .s("long note")])]
        }
        func stored(_ id: Int, _ changes: [String: DynamoDBAttributeValue]) -> DynamoDBItem {
            row(id).merging(changes) { $1 }.merging(["_ferry_version": Self.older]) { $1 }
        }
        let marker = "_ferry_truncated"
        comparison.compare(
            expected: row(1), key: key(1),
            stored: stored(1, ["body": .s("hé"), "blob": .b([1, 2]), marker: .ss(["blob", "body"])]))
        comparison.compare(
            expected: row(2), key: key(2), stored: stored(2, ["_doc": .m(["note": .s("long")]), marker: .ss(["_doc.note"])]))
        // Named, but the value whole: no difference, and nothing truncated.
        comparison.compare(expected: row(3), key: key(3), stored: stored(3, [marker: .ss(["body"])]))
        comparison.compare(expected: row(4), key: key(4), stored: stored(4, ["body": .s("world"), marker: .ss(["body"])]))
        comparison.compare(expected: row(5), key: key(5), stored: stored(5, ["body": .s("hé")]))
        let report = comparison.report
        #expect((report.compared, report.truncated, report.differing) == (5, 2, 2))
        #expect(report.differences.map(\.key) == [key(4), key(5)])
        #expect(report.differences.map { $0.attributes.map(\.name) } == [["body"], ["body"]])
    }

    @Test func theComparisonStopsAtTheFailureLimit() {
        var comparison = comparison(failureLimit: 2)
        comparison.compare(expected: row(1), key: key(1), stored: nil)
        comparison.compare(expected: row(2), key: key(2), stored: stored(2))
        #expect(!comparison.report.stoppedAtFailureLimit)
        comparison.compare(expected: row(3), key: key(3), stored: stored(3, amount: "1"))
        comparison.compare(expected: row(4), key: key(4), stored: nil)
        comparison.extra(stored(9), key: key(9))
        let report = comparison.report
        #expect(report.stoppedAtFailureLimit)
        #expect((report.compared, report.failures) == (3, 2))
    }

    @Test func itemsNewerThanTheSnapshotAreToleratedNotFailures() {
        var comparison = comparison()
        comparison.compare(expected: row(1), key: key(1), stored: stored(1, amount: "99", version: Self.newer))
        comparison.extra(stored(7, version: Self.newer), key: key(7))
        let tombstone: DynamoDBItem = ["id": .n("2"), "_ferry_deleted": .bool(true), "_ferry_version": Self.newer]
        comparison.compare(expected: row(2), key: key(2), stored: tombstone)
        let report = comparison.report
        #expect((report.missing, report.extra, report.differing, report.tolerated) == (0, 0, 0, 3))
        #expect(report.isClean)
        #expect(report.differences.allSatisfy { $0.isTolerated })
        #expect(report.differences.map(\.kind) == [.differing, .extra, .missing])
    }

    @Test func anOldTombstoneIsAMissingItemAndTombstonesAreNeverExtra() {
        var comparison = comparison()
        let tombstone: DynamoDBItem = ["id": .n("2"), "_ferry_deleted": .bool(true), "_ferry_version": Self.older]
        comparison.compare(expected: row(2), key: key(2), stored: tombstone)
        comparison.extra(tombstone, key: key(3))
        #expect((comparison.report.missing, comparison.report.extra) == (1, 0))
    }

    @Test func keepsOnlyTheFirstDifferencesButCountsAll() {
        var comparison = comparison(detailLimit: 2)
        for id in 1...5 { comparison.compare(expected: row(id), key: key(id), stored: nil) }
        #expect(comparison.report.missing == 5)
        #expect(comparison.report.differences.map(\.key) == [key(1), key(2)])
    }

    @Test func aSampleHasNoExtraCountAndNeedsTheCountsToAgree() {
        var comparison = comparison(isSample: true)
        comparison.compare(expected: row(1), key: key(1), stored: stored(1))
        #expect(comparison.report.extra == nil && comparison.report.isClean)
        var report = comparison.report
        report.targetItems = 5
        #expect(!report.isClean, "a count difference shows what the sample cannot")
    }
}

@Suite struct TargetItemIndexTests {
    @Test func countsLiveItemsAndLeavesWhatNoRowTookInKeyOrder() {
        var index = TargetItemIndex(keyOf: { $0.filter { $0.key == "id" } })
        index.add([
            ["id": .n("10"), "a": .s("x")], ["id": .n("9")], ["id": .n("2"), "_ferry_deleted": .bool(true)],
        ])
        index.add([["id": .n("1")]])
        #expect(index.liveCount == 3)
        #expect(index.take(["id": .n("1")]) == ["id": .n("1")])
        #expect(index.take(["id": .n("1")]) == nil)
        #expect(index.remaining.map(\.key) == [["id": .n("2")], ["id": .n("9")], ["id": .n("10")]])
    }
}
