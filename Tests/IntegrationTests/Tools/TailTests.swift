import Foundation
import Shared
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `ferry tail` as operators run it: the real binary against the local broker, on each test's own topics.
@Suite("Tail")
struct TailTests {
    @Test func prettyShowsTheLastTenRecordsAndWhatAnUpdateChanged() async throws {
        let topics = try await TailTestTopics("pretty", tables: ["payments"])
        let creates = (1...12).map { id in
            topics.record(.create, table: "payments", id: id, after: TailTestTopics.row(id, "n\(id)"), lsn: UInt64(100 + id))
        }
        let update = topics.record(
            .update, table: "payments", id: 3, before: TailTestTopics.row(3, "n3"), after: TailTestTopics.row(3, "renamed", "12.34"),
            lsn: 0x16B_7010)
        try await topics.produce(creates + [update])

        let run = try await topics.tail(["public.payments", "--prefix", topics.prefix])
        #expect(run.status == 0, "\(run.errors)")
        let blocks = run.output.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        #expect(blocks.count == 10, "\(run.output)")
        #expect(blocks.first?.hasPrefix(#"create public.payments {"id":4}"#) == true, "\(run.output)")
        #expect(
            blocks.last == """
                update public.payments {"id":3}
                  committed 2024-11-24T14:53:20.100Z  lsn 0/16B7010  commit_lsn 0/16B7010 seq 0  \(topics.topic("payments"))[0]@12
                  name    "n3" → "renamed"
                  amount  10.00 → 12.34
                """)
        #expect(blocks.dropLast().last?.hasSuffix("""
              id      12
              name    "n12"
              amount  10.00
            """) == true, "\(run.output)")
        #expect(!run.output.contains("\u{1B}["), "no colour when standard output is not a terminal")
    }

    @Test func jsonLinesAreExactAndNumbersKeepTheirDigits() async throws {
        let topics = try await TailTestTopics("json", tables: ["loans"])
        let records = [
            topics.record(.create, table: "loans", id: 1, after: TailTestTopics.row(1, "a", "123456789012345678901234567890.123"), lsn: 10),
            topics.record(.delete, table: "loans", id: 1, before: ["id": 1], after: nil, lsn: 11),
        ]
        try await topics.produce(records.map(TailTestTopics.encoded) + [(topics.topic("loans"), Array(#"{"id":1}"#.utf8), nil)])
        let stored = try await topics.readBack([topics.topic("loans")], count: 3)
        try #require(stored.count == 3)

        let run = try await topics.tail([topics.topic("loans"), "--from-beginning", "--format", "json"])
        #expect(run.status == 0, "\(run.errors)")
        let values = records.map { String(decoding: ChangeRecordCodec.encodeValue($0), as: UTF8.self) } + ["null"]
        let expected = zip(stored, values).map { message, value in
            #"{"topic":"\#(message.topic)","partition":0,"offset":\#(message.offset),"timestamp":\#(message.timestampMs ?? -1),"#
                + #""key":{"id":1},"value":\#(value)}"#
        }
        #expect(run.lines == expected[...].map { Substring($0) }, "\(run.output)")
        #expect(run.output.contains("123456789012345678901234567890.123"))
    }

    @Test func filtersAndLimitSelectRecords() async throws {
        let topics = try await TailTestTopics("filter", tables: ["t"])
        try await topics.produce([
            topics.record(.create, table: "t", id: 1, after: TailTestTopics.row(1, "alpha"), lsn: 1),
            topics.record(.create, table: "t", id: 2, after: TailTestTopics.row(2, "beta"), lsn: 2),
            topics.record(.update, table: "t", id: 1, after: TailTestTopics.row(1, "beta"), lsn: 3),
            topics.record(.delete, table: "t", id: 2, before: TailTestTopics.row(2, "beta"), after: nil, lsn: 4),
            topics.record(.create, table: "t", id: 3, after: TailTestTopics.row(3, "beta"), lsn: 5),
        ])
        let topic = topics.topic("t")
        func offsets(_ arguments: [String]) async throws -> [Int] {
            let run = try await topics.tail([topic, "--from-beginning", "--format", "json"] + arguments)
            #expect(run.status == 0, "\(run.errors)")
            return run.lines.compactMap { line in
                line.range(of: #""offset":"#).flatMap { Int(line[$0.upperBound...].prefix { $0.isNumber }) }
            }
        }
        #expect(try await offsets(["--op", "c"]) == [0, 1, 4])
        #expect(try await offsets(["--op", "u,d"]) == [2, 3])
        #expect(try await offsets(["--key", #"{"id": 2}"#]) == [1, 3])
        #expect(try await offsets(["--where", "name=beta"]) == [1, 2, 3, 4])
        #expect(try await offsets(["--where", "name=beta", "--where", "id=1"]) == [2])
        #expect(try await offsets(["--where", "name=beta", "--limit", "2"]) == [1, 2])
    }

    @Test func startsAtAnOffsetOrATime() async throws {
        let topics = try await TailTestTopics("position", tables: ["t"])
        let topic = topics.topic("t")
        let first = (1...12).map { topics.record(.create, table: "t", id: $0, after: TailTestTopics.row($0, "early"), lsn: UInt64($0)) }
        try await topics.produce(first)
        try await Task.sleep(for: .milliseconds(1500))
        let boundary = WallClock.nowMs() - 500
        try await topics.produce([topics.record(.create, table: "t", id: 13, after: TailTestTopics.row(13, "late"), lsn: 13)])

        func count(_ arguments: [String]) async throws -> Int {
            let run = try await topics.tail([topic, "--format", "json"] + arguments)
            #expect(run.status == 0, "\(run.errors)")
            return run.lines.count
        }
        #expect(try await count([]) == 10)
        #expect(try await count(["--offset", "0:5"]) == 8)
        #expect(try await count(["--since", "1h"]) == 13)
        let at = try await topics.tail([topic, "--format", "json", "--at", isoTime(boundary)])
        #expect(at.lines.count == 1 && at.output.contains(#""name":"late""#), "\(at.output)\(at.errors)")
    }

    @Test func aPrefixMergesItsTableTopicsByTimestampAndSkipsFerryTopics() async throws {
        let topics = try await TailTestTopics("merge", tables: ["a", "b"])
        let admin = try KafkaAdmin(configuration: try TestStack.kafkaConfiguration())
        try await admin.createTopics([KafkaNewTopic(name: "\(topics.prefix).ferry.state", partitions: 1)])
        let records = (1...6).map { id in
            topics.record(.create, table: id % 2 == 0 ? "b" : "a", id: id, after: TailTestTopics.row(id, "x"), lsn: UInt64(id))
        }
        try await topics.produce(
            records.map(TailTestTopics.encoded) + [("\(topics.prefix).ferry.state", Array("k".utf8), Array("{}".utf8))])

        let run = try await topics.tail([topics.prefix, "--from-beginning"])
        #expect(run.status == 0, "\(run.errors)")
        let headers = run.lines.filter { $0.hasPrefix("create ") }
        #expect(headers == (1...6).map { #"create public.\#($0 % 2 == 0 ? "b" : "a") {"id":\#($0)}"# }[...].map { Substring($0) }, "\(run.output)")
        #expect(!run.output.contains("ferry.state"))
    }

    @Test func foreignBytesAreShownRawAndTheTailGoesOn() async throws {
        let topics = try await TailTestTopics("raw", tables: ["t"])
        let topic = topics.topic("t")
        let after = topics.record(.create, table: "t", id: 2, after: TailTestTopics.row(2, "after"), lsn: 2)
        try await topics.produce([
            (topic, Array(#"{"id":1}"#.utf8), Array("garbage".utf8)),
            (topic, Array(#"{"id":9}"#.utf8), nil),
            TailTestTopics.encoded(after),
        ])

        let pretty = try await topics.tail([topic, "--from-beginning"])
        #expect(pretty.status == 0, "\(pretty.errors)")
        #expect(pretty.output.hasPrefix("""
            ! \(topic)[0]@0: value: JSON syntax error at byte 0: unexpected 'g' (0x67)
            """), "\(pretty.output)")
        #expect(pretty.output.contains("""
              key    {"id":1}
              value  "garbage"
            """))
        #expect(pretty.output.contains("! \(topic)[0]@1: tombstone"))
        #expect(pretty.output.contains(#"create public.t {"id":2}"#))

        let json = try await topics.tail([topic, "--from-beginning", "--format", "json"])
        #expect(json.lines.count == 3)
        #expect(json.lines.first?.contains(#""value":null,"error":"value: JSON syntax error at byte 0: unexpected 'g' (0x67)","raw_value_base64":"Z2FyYmFnZQ=="}"#) == true, "\(json.output)")
        #expect(json.errors.contains("warning: \(topic)[0]@0: value: JSON syntax error"), "\(json.errors)")
    }

    @Test func neverJoinsOrCommitsAGroup() async throws {
        let topics = try await TailTestTopics("nogroup", tables: ["t"])
        try await topics.produce([topics.record(.create, table: "t", id: 1, after: TailTestTopics.row(1, "x"), lsn: 1)])
        let group = TestStack.uniqueName("tailgroup")
        // Even asked to auto-commit, tail does not: it reads by assignment and forces commits off.
        let run = try await topics.tail([
            topics.topic("t"), "--from-beginning", "-X", "group.id=\(group)", "-X", "enable.auto.commit=true",
        ])
        #expect(run.status == 0 && run.output.contains("create public.t"), "\(run.output)\(run.errors)")

        let admin = try KafkaAdmin(configuration: try TestStack.kafkaConfiguration())
        let committed = try await admin.committedOffsets(group: group, partitions: [TopicPartition(topic: topics.topic("t"), partition: 0)])
        #expect(committed.allSatisfy { $0.offset < 0 }, "\(committed)")
        // The broker describes the group exactly as one nobody ever used (Dead on Kafka; tansu says Empty for both).
        let described = try await admin.describeGroup(group)
        let neverUsed = try await admin.describeGroup(TestStack.uniqueName("never"))
        #expect(described.memberCount == 0 && described.state == neverUsed.state, "\(described) vs \(neverUsed)")
    }

    @Test func followShowsNewRecordsAsTheyArrive() async throws {
        let topics = try await TailTestTopics("follow", tables: ["t"])
        let topic = topics.topic("t")
        try await topics.produce([topics.record(.create, table: "t", id: 1, after: TailTestTopics.row(1, "old"), lsn: 1)])
        let (child, _) = try topics.start([topic, "--follow", "--format", "json"])
        #expect(try await eventually { child.output.contains(#""name":"old""#) }, "\(child.output)")
        try await topics.produce([topics.record(.create, table: "t", id: 2, after: TailTestTopics.row(2, "new"), lsn: 2)])
        #expect(try await eventually { child.output.contains(#""name":"new""#) }, "\(child.output)")
        child.signal(SIGTERM)
        _ = try await child.wait()
    }

    @Test func anUnknownTargetSaysWhatItMayHaveMeant() async throws {
        let topics = try await TailTestTopics("unknown", tables: ["payments"])
        let run = try await topics.tail(["public.paymnts", "--prefix", topics.prefix])
        #expect(run.status != 0)
        // Other runs' topics may be suggested too; this test's own must be first.
        #expect(run.errors.contains("did you mean \(topics.topic("payments"))"), "\(run.errors)")
    }

    private func eventually(within timeout: Duration = .seconds(30), _ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.Instant.deadline(in: timeout)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return condition()
    }

    private func isoTime(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}
