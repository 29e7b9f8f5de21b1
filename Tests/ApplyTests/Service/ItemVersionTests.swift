import Shared
import Testing

@testable import Apply

/// The version number stored on items must order like `(commit_lsn, seq)` when DynamoDB compares numbers.
@Suite("Item version")
struct ItemVersionTests {
    func number(_ lsn: UInt64, _ seq: Int64) throws -> String {
        try ItemVersion.number(for: RecordVersion(commitLSN: LSN(rawValue: lsn), seq: seq))
    }

    /// Compares decimal integers without leading zeros the way DynamoDB compares N values.
    func isLess(_ lhs: String, _ rhs: String) -> Bool {
        lhs.count != rhs.count ? lhs.count < rhs.count : lhs < rhs
    }

    @Test func encodesLSNThenTenDigitsOfSeqPlusOne() throws {
        #expect(try number(0x16B7010, 3) == "238182560000000004")
        #expect(try number(0x16B7010, -1) == "238182560000000000")
        #expect(try number(0, 5) == "6")
    }

    @Test func snapshotRowSortsBeforeTheFirstChangeOfItsLSN() throws {
        #expect(isLess(try number(1000, -1), try number(1000, 0)))
    }

    @Test func lsnOrderDominatesSeq() throws {
        #expect(isLess(try number(1000, 9_999_999), try number(1001, -1)))
        #expect(isLess(try number(999, 5), try number(1000, -1)))
    }

    @Test func theLargestLSNDoesNotOverflow() throws {
        #expect(try number(UInt64.max, 0) == "\(UInt64.max)0000000001")
    }

    @Test func manyVersionsAreTheLSNsDigitsThenTenOfSeqPlusOne() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<10_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let lsn = state >> (state % 64)
            let seq = Int64((state >> 20) % 10_000_000_000) - 1
            let low = String(seq + 1)
            let expected = lsn == 0 ? low : String(lsn) + String(repeating: "0", count: 10 - low.count) + low
            #expect(try number(lsn, seq) == expected, "lsn \(lsn) seq \(seq)")
        }
    }

    @Test func seqBeyondTenDigitsIsRefused() {
        #expect(throws: ApplyRecordError.seqOutOfRange(10_000_000_000)) { try number(1, 10_000_000_000) }
        #expect(throws: ApplyRecordError.seqOutOfRange(-2)) { try number(1, -2) }
    }

    // MARK: Generations

    func number(generation: Int64, _ lsn: UInt64, _ seq: Int64) throws -> String {
        try ItemVersion.number(for: RecordVersion(generation: generation, commitLSN: LSN(rawValue: lsn), seq: seq))
    }

    @Test func generationZeroIsTheNumberWrittenBeforeGenerations() throws {
        #expect(try number(generation: 0, 0x16B7010, 3) == "238182560000000004")
        #expect(try number(generation: 0, UInt64.max, 0) == "\(UInt64.max)0000000001")
        #expect(try number(generation: 0, 0, -1) == "0")
    }

    @Test func generationLeadsThirtyDigitsOfLSNAndSeq() throws {
        #expect(try number(generation: 1, 0x16B7010, 3) == "1" + "00000000000023818256" + "0000000004")
        #expect(try number(generation: 42, 0, -1) == "42" + String(repeating: "0", count: 30))
        #expect(
            try ItemVersion.number(for: .start(ofGeneration: 3)) == "3" + String(repeating: "0", count: 30))
    }

    @Test func everyVersionOfANewerGenerationSortsAboveEveryOlderOne() throws {
        // The old history's highest possible version against the new one's lowest (a fresh cluster's LSNs).
        #expect(isLess(try number(generation: 0, UInt64.max, ItemVersion.maximumSeq), try number(generation: 1, 0, -1)))
        #expect(isLess(try number(generation: 1, UInt64.max, 0), try number(generation: 2, 1, -1)))
        #expect(isLess(try number(generation: 0, UInt64.max, 0), try ItemVersion.number(for: .start(ofGeneration: 1))))
        // Within a generation, LSN order still rules.
        #expect(isLess(try number(generation: 5, 999, 5), try number(generation: 5, 1000, -1)))
        // And the numbers agree with RecordVersion's own order, across random versions.
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        var versions: [RecordVersion] = []
        for _ in 0..<2000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            versions.append(
                RecordVersion(
                    generation: Int64(state % 4), commitLSN: LSN(rawValue: state >> (state % 64)),
                    seq: Int64((state >> 33) % 5) - 1))
        }
        for (lhs, rhs) in zip(versions, versions.dropFirst()) {
            #expect(isLess(try ItemVersion.number(for: lhs), try ItemVersion.number(for: rhs)) == (lhs < rhs), "\(lhs) \(rhs)")
        }
    }

    @Test func theLargestVersionKeepsDynamoDBs38Digits() throws {
        let largest = try number(generation: ItemVersion.maximumGeneration, UInt64.max, ItemVersion.maximumSeq)
        #expect(largest.count == 38)
        #expect(largest == "99999999" + "\(UInt64.max)" + "9999999999")
        #expect(throws: ApplyRecordError.generationOutOfRange(100_000_000)) { try number(generation: 100_000_000, 1, 0) }
        #expect(throws: ApplyRecordError.generationOutOfRange(-1)) { try number(generation: -1, 1, 0) }
    }

    @Test func aNumberTellsItsGenerationAndCommitLSN() throws {
        let number = try number(generation: 7, 0x16B7010, 3)
        #expect(ItemVersion.position(ofNumber: number)?.generation == 7)
        #expect(ItemVersion.position(ofNumber: number)?.commitLSN == LSN(rawValue: 0x16B7010))
        #expect(ItemVersion.position(ofNumber: "238182560000000004")?.generation == 0)
        #expect(ItemVersion.commitLSN(ofNumber: "238182560000000004") == LSN(rawValue: 0x16B7010))
    }

    // MARK: Debezium versions (docs/design.md, "Debezium records")

    func debezium(_ lastCommit: UInt64, _ lsn: Int64) throws -> String {
        try ItemVersion.number(for: RecordVersion(commitLSN: LSN(rawValue: lastCommit), seq: lsn, scheme: .debezium))
    }

    @Test func debeziumVersionsAreLastCommitThenEighteenDigitsOfLSNPlusOne() throws {
        #expect(try debezium(24_023_119, 24_023_128) == "24023119" + "000000000024023129")
        #expect(try debezium(0, -1) == "0")
        #expect(try debezium(0, 22_999_000) == "22999001")
        // The largest of both still fits DynamoDB's 38 digits.
        #expect(try debezium(UInt64.max, ItemVersion.maximumDebeziumLSN).count == 38)
        #expect(throws: ApplyRecordError.lsnOutOfRange(ItemVersion.maximumDebeziumLSN + 1)) {
            try debezium(1, ItemVersion.maximumDebeziumLSN + 1)
        }
    }

    @Test func debeziumNumbersOrderLikeTheirVersions() throws {
        let versions: [(UInt64, Int64)] = [(0, -1), (0, 5), (0, 22_999_000), (7, -1), (7, 3), (7, 10_000_000_000), (8, 0)]
        for (lower, higher) in zip(versions, versions.dropFirst()) {
            #expect(isLess(try debezium(lower.0, lower.1), try debezium(higher.0, higher.1)))
        }
    }
}
