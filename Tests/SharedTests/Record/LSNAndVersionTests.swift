import Testing

@testable import Shared

@Suite struct LSNTests {
    @Test(
        arguments: [
            ("0/16B6F40", 0x16B_6F40), ("0/0", 0), ("16/B374D848", 0x16_B374_D848),
            ("FFFFFFFF/FFFFFFFF", UInt64.max), ("1/0", 0x1_0000_0000), ("00000000/00000001", 1),
        ] as [(String, UInt64)])
    func parses(text: String, raw: UInt64) {
        #expect(LSN(text) == LSN(rawValue: raw))
    }

    @Test func parsesLowercaseAndPrintsUppercase() {
        #expect(LSN("a/bcdef0")?.description == "A/BCDEF0")
    }

    @Test(
        arguments: [
            (0x16B_6F40, "0/16B6F40"), (0, "0/0"), (0x16_B374_D848, "16/B374D848"), (UInt64.max, "FFFFFFFF/FFFFFFFF"),
            (0x1_0000_0000, "1/0"), (0xABC_0000_000F, "ABC/F"),
        ] as [(UInt64, String)])
    func printsWithoutLeadingZeros(raw: UInt64, text: String) {
        let lsn = LSN(rawValue: raw)
        #expect(lsn.description == text)
        var sink = ByteSink(capacity: 0)
        lsn.write(to: &sink)
        #expect(String(decoding: sink.bytes, as: UTF8.self) == text)
    }

    @Test(arguments: [
        "", "/", "0/", "/0", "0/0/0", "123456789/0", "0/123456789", "zz", "0/G", " 0/1", "0/1 ", "-1/0", "0x0/0", "0",
    ])
    func rejectsMalformedText(text: String) {
        #expect(LSN(text) == nil)
    }

    @Test func comparesNumerically() {
        #expect(LSN(rawValue: 0xFF) < LSN(rawValue: 0x1_0000_0000))
        #expect(LSN("0/FF").map { $0 < LSN(rawValue: 0x100) } == true)
        #expect(!(LSN(rawValue: 5) < LSN(rawValue: 5)))
    }
}

@Suite struct RecordVersionTests {
    @Test func ordersByCommitLSNThenSeq() {
        let point = LSN(rawValue: 0x16B_7010)
        let snapshotRow = RecordVersion(commitLSN: point, seq: -1)
        let firstChange = RecordVersion(commitLSN: point, seq: 0)
        let secondChange = RecordVersion(commitLSN: point, seq: 1)
        let laterTransaction = RecordVersion(commitLSN: LSN(rawValue: 0x16B_7011), seq: -1)
        let earlierTransaction = RecordVersion(commitLSN: LSN(rawValue: 0x16B_700F), seq: 99)

        #expect(snapshotRow < firstChange)
        #expect(firstChange < secondChange)
        #expect(secondChange < laterTransaction)
        #expect(earlierTransaction < snapshotRow)
        #expect(
            [laterTransaction, secondChange, snapshotRow, earlierTransaction, firstChange].sorted()
                == [earlierTransaction, snapshotRow, firstChange, secondChange, laterTransaction])
        #expect(firstChange.description == "0/16B7010#0")
    }

    @Test func recordVersionUsesCommitLSNNotTheChangeLSN() {
        var record = CodecFixtures.updateRecord
        record.source.lsn = LSN(rawValue: 1)
        record.source.commitLSN = LSN(rawValue: 0x200)
        record.source.seq = 4
        #expect(record.version == RecordVersion(commitLSN: LSN(rawValue: 0x200), seq: 4))
    }

    @Test func operationCodesAreDebeziums() {
        #expect(Operation.allCases.map(\.rawValue) == ["r", "c", "u", "d", "t"])
    }

    @Test func topicIsPrefixSchemaTable() {
        #expect(CodecFixtures.updateRecord.topic == "loanapp.dbo.Payments")
    }
}
