import Apply
import Shared
import Testing

@testable import Tools

@Suite struct VersionToleranceTests {
    let tolerance = VersionTolerance(snapshotLSN: LSN(rawValue: 0x16B_7010), versionAttribute: "_v")

    func item(version: RecordVersion) throws -> DynamoDBItem {
        ["id": .n("1"), "_v": .n(try ItemVersion.number(for: version))]
    }

    @Test func readsTheCommitLSNBackFromTheVersionApplyWrites() throws {
        for version in [
            RecordVersion(commitLSN: LSN(rawValue: 0x16B_7010), seq: -1),
            RecordVersion(commitLSN: LSN(rawValue: 0x16B_7010), seq: 41),
            RecordVersion(commitLSN: LSN(rawValue: UInt64.max), seq: 9_999_999_998),
            RecordVersion(commitLSN: LSN(rawValue: 1), seq: 0),
        ] {
            #expect(tolerance.commitLSN(of: try item(version: version)) == version.commitLSN)
        }
        #expect(ItemVersion.commitLSN(ofNumber: "5") == LSN(rawValue: 0))
        #expect(ItemVersion.commitLSN(ofNumber: "1.5") == nil)
        #expect(ItemVersion.commitLSN(ofNumber: "") == nil)
    }

    @Test func onlyChangesCommittedAfterTheSnapshotAreNewer() throws {
        let at = LSN(rawValue: 0x16B_7010)
        #expect(try tolerance.isNewerThanSnapshot(item(version: RecordVersion(commitLSN: LSN(rawValue: at.rawValue + 1), seq: 0))))
        #expect(try !tolerance.isNewerThanSnapshot(item(version: RecordVersion(commitLSN: at, seq: 7))))
        #expect(try !tolerance.isNewerThanSnapshot(item(version: RecordVersion(commitLSN: LSN(rawValue: 5), seq: -1))))
        #expect(!tolerance.isNewerThanSnapshot(["id": .n("1")]), "an item without a version is never newer")
        #expect(!tolerance.isNewerThanSnapshot(["id": .n("1"), "_v": .s("999999999999999999999")]))
    }

    /// After a new generation, an old-generation item with a high LSN is not newer than the new source's snapshot
    /// (it is left for the sweep); an item of the current generation compares by LSN as before.
    @Test func anOlderGenerationIsNeverNewer() throws {
        var current = tolerance
        current.generation = 1
        let at = LSN(rawValue: 0x16B_7010)
        let oldHigh = try item(version: RecordVersion(generation: 0, commitLSN: LSN(rawValue: at.rawValue << 8), seq: 0))
        #expect(tolerance.isNewerThanSnapshot(oldHigh), "without a generation, LSNs alone decide")
        #expect(!current.isNewerThanSnapshot(oldHigh))
        #expect(current.generation(of: oldHigh) == 0)
        #expect(try current.isNewerThanSnapshot(item(version: RecordVersion(generation: 1, commitLSN: LSN(rawValue: at.rawValue + 1), seq: 0))))
        #expect(try !current.isNewerThanSnapshot(item(version: RecordVersion(generation: 1, commitLSN: at, seq: 0))))
        #expect(try current.isNewerThanSnapshot(item(version: RecordVersion(generation: 2, commitLSN: LSN(rawValue: 1), seq: 0))))
    }
}

/// Items apply wrote from Debezium records hold `(last commit LSN, LSN)` (docs/design.md, "Debezium records"): read
/// as the earliest the change can have committed, the larger of the two.
@Suite struct DebeziumVersionToleranceTests {
    let tolerance = VersionTolerance(
        snapshotLSN: LSN(rawValue: 23_000_800), versionAttribute: "_v", scheme: .debezium)

    func item(lastCommit: UInt64, lsn: Int64) throws -> DynamoDBItem {
        let version = RecordVersion(commitLSN: LSN(rawValue: lastCommit), seq: lsn, scheme: .debezium)
        return ["id": .n("1"), "_v": .n(try ItemVersion.number(for: version))]
    }

    @Test func theLargerOfLastCommitAndLSNStandsForTheCommit() throws {
        #expect(tolerance.commitLSN(of: try item(lastCommit: 23_000_700, lsn: 23_000_800)) == LSN(rawValue: 23_000_800))
        #expect(tolerance.commitLSN(of: try item(lastCommit: 0, lsn: 22_999_000)) == LSN(rawValue: 22_999_000))
        #expect(tolerance.commitLSN(of: try item(lastCommit: 0, lsn: -1)) == LSN(rawValue: 0), "a snapshot row")
        #expect(tolerance.commitLSN(of: try item(lastCommit: UInt64.max, lsn: 5)) == LSN(rawValue: UInt64.max))
        #expect(ItemVersion.position(ofNumber: "1.5", scheme: .debezium) == nil)
    }

    /// Read as Ferry's layout, `23000700000000000023000801` would be a commit LSN of 2.3 × 10^15: newer than any
    /// snapshot, every difference of the table tolerated.
    @Test func onlyChangesProvablyCommittedAfterTheSnapshotAreNewer() throws {
        #expect(try !tolerance.isNewerThanSnapshot(item(lastCommit: 23_000_700, lsn: 23_000_800)))
        #expect(try tolerance.isNewerThanSnapshot(item(lastCommit: 23_000_700, lsn: 23_000_801)))
        #expect(try tolerance.isNewerThanSnapshot(item(lastCommit: 23_000_801, lsn: 23_000_900)))
        #expect(try !tolerance.isNewerThanSnapshot(item(lastCommit: 0, lsn: -1)))
    }
}
