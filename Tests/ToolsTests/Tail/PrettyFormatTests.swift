import Shared
import Testing

@testable import Tools

@Suite struct PrettyFormatTests {
    let plain = PrettyFormat(style: .plain)

    @Test func updateShowsChangedAndUnchangedColumns() {
        #expect(
            plain.format(TailFixtures.entry(TailFixtures.update)) == """
                update dbo.Payments {"PaymentId":42}
                  committed 2024-11-24T14:53:20.100Z  lsn 0/16B6F40  commit_lsn 0/16B7010 seq 3  loanapp.dbo.Payments[0]@17
                  PaymentAmount  10.00 → 12.34
                  Payload        (unchanged)


                """)
    }

    /// A Debezium record's version is `(last commit LSN, LSN)`: shown as such, not as a commit LSN and seq.
    @Test func aDebeziumRecordShowsItsLastCommitLSN() {
        var record = TailFixtures.update
        record.source.versionScheme = .debezium
        record.source.seq = Int64(record.source.lsn.rawValue)
        var entry = TailFixtures.entry(TailFixtures.update)
        entry.content = .change(record)
        #expect(
            plain.format(entry).split(separator: "\n")[1]
                == "  committed 2024-11-24T14:53:20.100Z  lsn 0/16B6F40  last_commit_lsn 0/16B7010  loanapp.dbo.Payments[0]@17")
    }

    @Test func updateWithoutBeforeImageShowsTheNewRow() {
        var record = TailFixtures.update
        record.before = nil
        record.unchanged = []
        #expect(
            plain.format(TailFixtures.entry(record)) == """
                update dbo.Payments {"PaymentId":42}
                  committed 2024-11-24T14:53:20.100Z  lsn 0/16B6F40  commit_lsn 0/16B7010 seq 3  loanapp.dbo.Payments[0]@17
                  (no before image: the new row)
                  PaymentId      42
                  PaymentAmount  12.34
                  Status         "open"


                """)
    }

    @Test func createShowsTheNewRowWithExactNumbers() {
        #expect(
            plain.format(TailFixtures.entry(TailFixtures.create)) == """
                create dbo.Payments {"PaymentId":7}
                  committed 2024-11-24T14:53:20.100Z  lsn 0/16B6F40  commit_lsn 0/16B7010 seq 3  loanapp.dbo.Payments[0]@17
                  PaymentId      7
                  PaymentAmount  99999999999999999999.01
                  Status         "new"


                """)
    }

    @Test func deleteShowsTheKeyWhenNoBeforeImage() {
        let record = ChangeRecord(op: .delete, tsMs: 0, source: TailFixtures.source(), key: ["PaymentId": 42], before: nil, after: nil)
        #expect(plain.format(TailFixtures.entry(record)).hasSuffix("\n  PaymentId  42\n\n"))
    }

    @Test func truncateHasNoKeyOrColumns() {
        let record = ChangeRecord(op: .truncate, tsMs: 0, source: TailFixtures.source(), key: nil, before: nil, after: nil)
        #expect(plain.format(TailFixtures.entry(record)).hasPrefix("truncate dbo.Payments\n  committed "))
    }

    @Test func malformedAndTombstoneAreShownRawWithAWarning() {
        #expect(
            plain.format(TailFixtures.rawEntry(key: #"{"PaymentId":42}"#, value: "oops\u{1B}[2J")) == """
                ! loanapp.dbo.Payments[0]@18: value: JSON syntax error at byte 0: unexpected 'o' (0x6F)
                  timestamp 2024-11-24T14:53:20.300Z
                  key    {"PaymentId":42}
                  value  "oops\\u001b[2J"


                """)
        #expect(
            plain.format(TailFixtures.rawEntry(key: #"{"PaymentId":42}"#, value: nil)) == """
                ! loanapp.dbo.Payments[0]@18: tombstone (null value: a deleted row's marker for compaction)
                  timestamp 2024-11-24T14:53:20.300Z
                  key    {"PaymentId":42}


                """)
        let notARecord = plain.format(TailFixtures.rawEntry(key: nil, value: #"{"op":"u"}"#))
        #expect(notARecord.hasPrefix("! loanapp.dbo.Payments[0]@18: not a ferry change record: message value, at ts_ms: missing required field\n"))
        #expect(PrettyFormat.rawText([0xFF, 0x00], parsed: nil) == "(2 bytes, base64) /wA=")
    }

    @Test func colourOnlyWhenATerminalAndNoColorUnset() {
        #expect(TerminalStyle.forOutput(isTerminal: true, noColor: nil).isEnabled)
        #expect(TerminalStyle.forOutput(isTerminal: true, noColor: "").isEnabled)
        #expect(!TerminalStyle.forOutput(isTerminal: true, noColor: "1").isEnabled)
        #expect(!TerminalStyle.forOutput(isTerminal: false, noColor: nil).isEnabled)
        let coloured = PrettyFormat(style: TerminalStyle(isEnabled: true)).format(TailFixtures.entry(TailFixtures.update))
        #expect(coloured.hasPrefix("\u{1B}[1;33mupdate\u{1B}[0m dbo.Payments"))
        #expect(coloured.contains("\u{1B}[31m10.00\u{1B}[0m → \u{1B}[32m12.34\u{1B}[0m"))
    }

    @Test func aGenerationControlRecordIsNamedAndAGenerationShown() throws {
        let marker = GenerationSnapshotMarker(schema: "public", table: "items", generation: 2, partitionEnds: [5])
        let sent = marker.message(topic: "p.public.items", partition: 0)
        let entry = TailEntry(
            decoding: TailMessage(
                topic: sent.topic, partition: 0, offset: 9, timestampMs: nil, key: sent.key, value: sent.value,
                headers: sent.headers))
        #expect(entry.content == .control(marker))
        #expect(plain.format(entry).contains("control record: the snapshot of public.items in generation 2 is complete"))
        var record = TailFixtures.update
        record.source.generation = 3
        #expect(plain.format(TailFixtures.entry(record)).contains("generation 3"))
        #expect(!plain.format(TailFixtures.entry(TailFixtures.update)).contains("generation"))
    }
}
