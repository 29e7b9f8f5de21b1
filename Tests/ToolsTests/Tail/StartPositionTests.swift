import Testing

@testable import Tools

@Suite struct StartPositionTests {
    let now: Int64 = 1_732_460_000_000

    @Test func defaultIsTheLastTenRecords() throws {
        #expect(try StartPosition.parse(fromBeginning: false, offsets: [], since: nil, at: nil, nowMs: now) == .lastRecords(10))
        #expect(StartPosition.lastRecordsStart(count: 10, low: 0, high: 25) == 15)
        #expect(StartPosition.lastRecordsStart(count: 10, low: 20, high: 25) == 20)
    }

    @Test func offsetsAreParsedAsPartitionColonOffset() throws {
        let position = try StartPosition.parse(fromBeginning: false, offsets: ["0:15", "2:0"], since: nil, at: nil, nowMs: now)
        #expect(position == .offsets([.init(partition: 0, offset: 15), .init(partition: 2, offset: 0)]))
        for bad in ["15", "a:1", "0:-1", "0:1:2", ":5"] {
            #expect(throws: TailError.self) {
                try StartPosition.parse(fromBeginning: false, offsets: [bad], since: nil, at: nil, nowMs: now)
            }
        }
    }

    @Test func sinceCountsBackFromNow() throws {
        #expect(try StartPosition.parse(fromBeginning: false, offsets: [], since: "10m", at: nil, nowMs: now) == .time(milliseconds: now - 600_000))
        #expect(DurationText.milliseconds("1h30m") == 5_400_000)
        #expect(DurationText.milliseconds("2d") == 172_800_000)
        #expect(DurationText.milliseconds("500ms") == 500)
        for bad in ["", "10", "m", "10x", "0s", "-5m", "99999999999999999d"] { #expect(DurationText.milliseconds(bad) == nil, "\(bad)") }
    }

    @Test func atReadsISOTimes() throws {
        #expect(ISOTimestamp.parseMilliseconds("2024-11-24T15:33:20.100Z") == 1_732_462_400_100)
        #expect(ISOTimestamp.parseMilliseconds("2024-11-24T17:33:20.1+02:00") == 1_732_462_400_100)
        #expect(ISOTimestamp.parseMilliseconds("2024-11-24 15:33:20") == 1_732_462_400_000)
        #expect(ISOTimestamp.parseMilliseconds("2024-11-24") == 1_732_406_400_000)
        #expect(ISOTimestamp.parseMilliseconds("1969-12-31T23:59:59.999Z") == -1)
        for bad in ["2024-02-30", "2024-11-24T25:00", "2024-11-24T15:33:20Q", "yesterday", "2024-11-24T15:33:20.Z"] {
            #expect(ISOTimestamp.parseMilliseconds(bad) == nil, "\(bad)")
        }
        #expect(throws: TailError.self) {
            try StartPosition.parse(fromBeginning: false, offsets: [], since: nil, at: "noon", nowMs: now)
        }
    }

    @Test func formatsCommitTimesInUTCWithMilliseconds() {
        #expect(ISOTimestamp.format(milliseconds: 1_732_462_400_100) == "2024-11-24T15:33:20.100Z")
        #expect(ISOTimestamp.format(milliseconds: -1) == "1969-12-31T23:59:59.999Z")
        #expect(ISOTimestamp.format(milliseconds: 951_782_400_000) == "2000-02-29T00:00:00.000Z")
    }

    @Test func positionsExcludeEachOther() {
        #expect(throws: TailError.conflictingOptions(["--from-beginning", "--since"])) {
            try StartPosition.parse(fromBeginning: true, offsets: [], since: "1h", at: nil, nowMs: now)
        }
    }
}
