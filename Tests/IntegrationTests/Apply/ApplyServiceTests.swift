import Apply
import Foundation
import Shared
import Testing

/// `ApplyService` against the local stack: records produced by the test, applied to moto's DynamoDB.
@Suite("Apply service")
struct ApplyServiceTests {
    static func phaseOne(_ topic: ApplyTestTopic) -> [ChangeRecord] {
        [
            topic.record(.read, id: 1, after: row(1, name: "a", amount: "1.5"), lsn: 100, seq: -1),
            topic.record(.read, id: 2, after: row(2, name: "b"), lsn: 100, seq: -1),
            topic.record(.create, id: 3, after: row(3, name: "c", amount: "3.25", note: "big text"), lsn: 200),
            topic.record(.update, id: 2, after: row(2, name: "b2", amount: "2.5", note: nil), lsn: 300),
        ]
    }

    static let phaseOneItems: [DynamoDBItem] = [
        ["id": .n("1"), "name": .s("a"), "amount": .n("1.5"), "note": .s("n"), "_ferry_version": .n("1000000000000")],
        ["id": .n("2"), "name": .s("b2"), "amount": .n("2.5"), "_ferry_version": .n("3000000000001")],
        ["id": .n("3"), "name": .s("c"), "amount": .n("3.25"), "note": .s("big text"), "_ferry_version": .n("2000000000001")],
    ]

    static let finalItems: [DynamoDBItem] = [
        ["id": .n("3"), "name": .s("c2"), "amount": .n("4"), "note": .s("big text"), "_ferry_version": .n("4000000000001")],
        ["id": .n("20"), "name": .s("b2"), "amount": .n("2.5"), "_ferry_version": .n("6000000000002")],
    ]

    @Test func appliesChangesAndAReplayWithANewGroupGivesTheSameTable() async throws {
        let topic = try await ApplyTestTopic("twice")
        defer { Task { await topic.dropTable() } }
        let group = TestStack.uniqueName("g")
        let first = topic.startApply(try topic.options(group: group))
        defer { first.task.cancel() }

        try await topic.produce(Self.phaseOne(topic))
        #expect(try await topic.items { $0 == Self.phaseOneItems } == Self.phaseOneItems)

        // A partial update (unchanged TOAST column kept), a delete and its tombstone, a primary-key change.
        let partialUpdate = JSONObject([("id", .integer(3)), ("name", .string("c2")), ("amount", .integer(4))])
        try await topic.produce([
            topic.record(.update, id: 3, after: partialUpdate, lsn: 400, unchanged: ["note"]),
            topic.record(.delete, id: 1, lsn: 500),
        ])
        try await topic.produceRaw([(ChangeRecordCodec.encodeKey(["id": .integer(1)]), nil)])
        try await topic.produce([
            topic.record(.delete, id: 2, lsn: 600, seq: 0),
            topic.record(.create, id: 20, after: row(20, name: "b2", amount: "2.5", note: nil), lsn: 600, seq: 1),
        ])
        #expect(try await topic.items { $0 == Self.finalItems } == Self.finalItems)
        // The counters are updated once the batch's writes all returned, before its offsets are committed.
        #expect(try await topic.waitForCommit(group: group, count: 9))
        let statistics = try #require(first.service.statistics.tables["public.\(topic.sourceTable)"])
        #expect(statistics.deletes == 2)
        #expect(statistics.inserts + statistics.updates >= 3)
        #expect(statistics.lastCommitTimeMs != nil)
        first.task.cancel()

        // The whole topic again, from the beginning, by a new group: every write is a no-op or lands the same.
        let replayGroup = TestStack.uniqueName("replay")
        let replay = topic.startApply(try topic.options(group: replayGroup))
        defer { replay.task.cancel() }
        #expect(try await topic.waitForCommit(group: replayGroup, count: 9))
        #expect(try await topic.scan() == Self.finalItems)
    }

    @Test func redeliveredDuplicateAndReplayedRecordsEndAtTheFoldByVersion() async throws {
        let topic = try await ApplyTestTopic("replay")
        defer { Task { await topic.dropTable() } }
        var options = try topic.options()
        // Tombstones keep a deleted row's version, so a replayed older create cannot bring it back.
        options.deleteMode = .tombstone(ttlDays: 1)
        let apply = topic.startApply(options)
        defer { apply.task.cancel() }

        let current = [
            topic.record(.create, id: 1, after: row(1, name: "v1"), lsn: 10),
            topic.record(.update, id: 1, after: row(1, name: "v2"), lsn: 20),
            topic.record(.update, id: 1, after: row(1, name: "v3"), lsn: 30),
            topic.record(.create, id: 2, after: row(2, name: "streamed"), lsn: 50, seq: 0),
            topic.record(.create, id: 3, after: row(3, name: "doomed"), lsn: 35),
            topic.record(.delete, id: 3, lsn: 40),
        ]
        try await topic.produce(current)
        let live: ([DynamoDBItem]) -> [DynamoDBItem] = { $0.filter { $0["_ferry_deleted"] == nil } }
        let expected: [DynamoDBItem] = [
            ["id": .n("1"), "name": .s("v3"), "amount": .n("1.50"), "note": .s("n"), "_ferry_version": .n("300000000001")],
            ["id": .n("2"), "name": .s("streamed"), "amount": .n("1.50"), "note": .s("n"), "_ferry_version": .n("500000000001")],
        ]
        let firstState = try await topic.items { live($0) == expected && $0.count == 3 }
        #expect(live(firstState) == expected, "\(firstState)")

        // Redelivered, duplicated and older records after the newer ones, including a resumed-snapshot row of
        // id 2 at the same LSN as its streamed change (seq -1 loses) and the create of deleted id 3.
        try await topic.produce([
            current[1], current[0], current[2], current[2],
            topic.record(.read, id: 2, after: row(2, name: "snapshot"), lsn: 50, seq: -1),
            current[4],
            topic.record(.update, id: 1, after: row(1, name: "v4"), lsn: 60),
        ])
        var withV4 = expected
        withV4[0]["name"] = .s("v4")
        withV4[0]["_ferry_version"] = .n("600000000001")
        let finalState = try await topic.items { live($0) == withV4 }
        #expect(live(finalState) == withV4, "\(finalState)")
        let tombstone = try #require(try await topic.scan().first { ApplyTestTopic.id(of: $0) == 3 })
        #expect(tombstone["_ferry_deleted"] == .bool(true))
        #expect(tombstone["_ferry_version"] == .n("400000000001"))
        #expect(tombstone["name"] == nil)
        let statistics = try #require(apply.service.statistics.tables["public.\(topic.sourceTable)"])
        #expect(statistics.noops >= 1)
    }

    @Test func badRecordsAreDeadLetteredAndLaterRecordsApplied() async throws {
        let topic = try await ApplyTestTopic("dlq")
        defer { Task { await topic.dropTable() } }
        let apply = topic.startApply(try topic.options())
        defer { apply.task.cancel() }

        let key = { (id: Int) in ChangeRecordCodec.encodeKey(["id": .integer(id)]) }
        let malformed = Array(#"{"op":"c","ts_ms":"#.utf8)
        let huge = ChangeRecordCodec.encodeValue(
            topic.record(.create, id: 2, after: row(2, name: "big", note: String(repeating: "x", count: 500 * 1024)), lsn: 20))
        let unknownOp = Array(
            String(decoding: ChangeRecordCodec.encodeValue(topic.record(.create, id: 4, after: row(4, name: "?"), lsn: 25)), as: UTF8.self)
                .replacingOccurrences(of: #""op":"c""#, with: #""op":"x""#).utf8)
        try await topic.produceRaw([(key(1), malformed), (key(2), huge), (key(4), unknownOp)])
        try await topic.produce([topic.record(.create, id: 3, after: row(3, name: "after"), lsn: 30)])

        let items = try await topic.items { $0.map(ApplyTestTopic.id(of:)) == [3] }
        #expect(items.map(ApplyTestTopic.id(of:)) == [3])

        let letters = try await Self.readAll(topic: "\(topic.prefix).ferry.dlq", count: 3)
        #expect(letters.count == 3)
        func header(_ message: KafkaMessage, _ name: String) -> String {
            message.headers.first { $0.name == name }?.value.map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        #expect(letters.map { header($0, "ferry.offset") } == ["0", "1", "2"])
        #expect(letters.allSatisfy { header($0, "ferry.topic") == topic.topic && header($0, "ferry.partition") == "0" })
        #expect(header(letters[0], "ferry.error").hasPrefix("undecodable record"))
        #expect(header(letters[1], "ferry.error").contains("exceeds DynamoDB's 400 KB limit"))
        #expect(header(letters[2], "ferry.error").hasPrefix("undecodable record"))
        #expect(letters[0].value.map { Array($0.readableBytesView) } == malformed)
        #expect(letters[1].value.map { Array($0.readableBytesView) } == huge)
        #expect(try #require(apply.service.statistics.tables["public.\(topic.sourceTable)"]).deadLettered == 3)
    }

    @Test func stopsOnABadRecordWhenToldTo() async throws {
        let topic = try await ApplyTestTopic("stop")
        defer { Task { await topic.dropTable() } }
        var options = try topic.options()
        options.errorBehavior = ApplyOptions.ErrorPolicy.stop.behavior
        let apply = topic.startApply(options)
        defer { apply.task.cancel() }
        try await topic.produceRaw([(ChangeRecordCodec.encodeKey(["id": .integer(1)]), Array("{".utf8))])
        await #expect(throws: ApplyError.self) { try await apply.task.value }
    }

    /// Every message of partition 0 of `topic`, read from the beginning until `count` arrived or 30 s passed, then
    /// for `settle` more (to see that no other comes).
    static func readAll(topic: String, count: Int, settle: Duration = .zero) async throws -> [KafkaMessage] {
        let reader = try KafkaConsumer(configuration: try TestStack.kafkaConfiguration(), logger: TestStack.logger)
        try await reader.assign([TopicPartitionOffset(topic: topic, partition: 0, offset: TopicPartitionOffset.beginning)])
        var messages: [KafkaMessage] = []
        let deadline = ContinuousClock.Instant.deadline(in: .seconds(30))
        while messages.count < count && ContinuousClock.now < deadline {
            messages += try await reader.poll(timeout: .milliseconds(500))
        }
        let settled = ContinuousClock.Instant.deadline(in: settle)
        while ContinuousClock.now < settled { messages += try await reader.poll(timeout: .milliseconds(500)) }
        try await reader.close()
        return messages
    }
}
