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
}
