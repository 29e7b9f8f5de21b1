import Apply
import Foundation
import Shared
import Testing

/// The task settings' ErrorBehavior and limited LOB mode on the local stack: each policy kind (IGNORE_RECORD,
/// LOG_ERROR, STOP_TASK, an escalation count) on records apply cannot write, by error class.
@Suite("Apply error behaviour (task settings)", .timeLimit(.minutes(2)))
struct ApplyErrorBehaviorTests {
    static let malformed = Array(#"{"op":"c","ts_ms":"#.utf8)

    static func key(_ id: Int) -> [UInt8] { ChangeRecordCodec.encodeKey(["id": .integer(id)]) }

    /// The topic's options with `settings` (a task settings document) adopted as `ferry apply --task-settings` does.
    static func options(_ topic: ApplyTestTopic, group: String = TestStack.uniqueName("g"), settings: String) throws
        -> ApplyOptions
    {
        var options = try topic.options(group: group)
        let report = try options.adopt(try TaskSettingsFile.parse(Array(settings.utf8)), flagsGiven: [])
        #expect(report.warnings.isEmpty, "\(report.warnings)")
        return options
    }

    @Test func ignoreRecordSkipsADataErrorCommitsPastItAndWritesNoDeadLetter() async throws {
        let topic = try await ApplyTestTopic("ignore")
        defer { Task { await topic.dropTable() } }
        let group = TestStack.uniqueName("g")
        let apply = topic.startApply(
            try Self.options(topic, group: group, settings: #"{"ErrorBehavior": {"DataErrorPolicy": "IGNORE_RECORD"}}"#))
        defer { apply.task.cancel() }
        try await topic.produceRaw([(Self.key(1), Self.malformed)])
        try await topic.produce([topic.record(.create, id: 2, after: row(2, name: "after"), lsn: 20)])

        let items = try await topic.items { $0.map(ApplyTestTopic.id(of:)) == [2] }
        #expect(items.map(ApplyTestTopic.id(of:)) == [2])
        #expect(try await topic.waitForCommit(group: group, count: 2))
        #expect(apply.service.statistics.tables["public.\(topic.sourceTable)"]?.ignored == 1)
        #expect(try await Self.messages(of: "\(topic.prefix).ferry.dlq").isEmpty)
    }

    @Test func stopTaskStopsAtADataErrorNamingTheSettingAndCommitsNothing() async throws {
        let topic = try await ApplyTestTopic("stoptask")
        defer { Task { await topic.dropTable() } }
        let group = TestStack.uniqueName("g")
        let apply = topic.startApply(
            try Self.options(topic, group: group, settings: #"{"ErrorBehavior": {"DataErrorPolicy": "SUSPEND_TABLE"}}"#))
        defer { apply.task.cancel() }
        try await topic.produce([topic.record(.create, id: 1, after: row(1, name: "before"), lsn: 10)])
        #expect(try await topic.waitForCommit(group: group, count: 1))
        try await topic.produceRaw([(Self.key(2), Self.malformed)])
        try await topic.produce([topic.record(.create, id: 3, after: row(3, name: "after"), lsn: 30)])

        let error = await Self.end(of: apply.task)
        #expect(error is ApplyError, "\(String(describing: error))")
        #expect("\(String(describing: error))".contains("ErrorBehavior.DataErrorPolicy"))
        #expect(try await topic.waitForCommit(group: group, count: 1, timeout: .seconds(1)))
        #expect(try await topic.scan().map(ApplyTestTopic.id(of:)) == [1])
    }

    @Test func dataErrorsEscalateAtTheCountAndStopBeforeCommittingTheRecord() async throws {
        let topic = try await ApplyTestTopic("escalate")
        defer { Task { await topic.dropTable() } }
        let group = TestStack.uniqueName("g")
        let settings = """
            {"ErrorBehavior": {"DataErrorPolicy": "LOG_ERROR", "DataErrorEscalationCount": 2,
                               "DataErrorEscalationPolicy": "STOP_TASK"}}
            """
        let apply = topic.startApply(try Self.options(topic, group: group, settings: settings))
        defer { apply.task.cancel() }
        try await topic.produceRaw([(Self.key(1), Self.malformed)])
        try await topic.produce([topic.record(.create, id: 2, after: row(2, name: "between"), lsn: 20)])
        #expect(try await topic.waitForCommit(group: group, count: 2))
        #expect(try await Self.messages(of: "\(topic.prefix).ferry.dlq", atLeast: 1).count == 1)
        try await topic.produceRaw([(Self.key(3), Self.malformed)])

        let error = await Self.end(of: apply.task)
        #expect(error is ApplyError, "\(String(describing: error))")
        #expect("\(String(describing: error))".contains("DataErrorEscalationPolicy STOP_TASK after 2 errors"))
        #expect(try await topic.waitForCommit(group: group, count: 2, timeout: .seconds(1)))
        #expect(try await Self.messages(of: "\(topic.prefix).ferry.dlq").count == 1)
    }

    @Test func applyErrorsFollowTheirOperationsPolicyAndDataErrorsKeepTheirOwn() async throws {
        let topic = try await ApplyTestTopic("applyerr")
        defer { Task { await topic.dropTable() } }
        let settings = #"{"ErrorBehavior": {"ApplyErrorInsertPolicy": "IGNORE_RECORD", "ApplyErrorUpdatePolicy": "STOP_TASK"}}"#
        let apply = topic.startApply(try Self.options(topic, settings: settings))
        defer { apply.task.cancel() }
        let huge = String(repeating: "x", count: 500 * 1024)
        try await topic.produce([topic.record(.create, id: 1, after: row(1, name: "big", note: huge), lsn: 10)])
        try await topic.produceRaw([(Self.key(2), Self.malformed)])
        try await topic.produce([topic.record(.create, id: 3, after: row(3, name: "small"), lsn: 30)])

        let items = try await topic.items { $0.map(ApplyTestTopic.id(of:)) == [3] }
        #expect(items.map(ApplyTestTopic.id(of:)) == [3])
        let letters = try await Self.messages(of: "\(topic.prefix).ferry.dlq", atLeast: 1)
        // The malformed record only (offset 1): data errors stay LOG_ERROR.
        #expect(letters.map { $0.headers.first { $0.name == DeadLetter.offsetHeader }?.value } == [Array("1".utf8)])
        #expect(apply.service.statistics.tables["public.\(topic.sourceTable)"]?.ignored == 1)

        try await topic.produce([topic.record(.update, id: 3, after: row(3, name: "big", note: huge), lsn: 40)])
        let error = await Self.end(of: apply.task)
        #expect(error is ApplyError, "\(String(describing: error))")
        #expect("\(String(describing: error))".contains("ErrorBehavior.ApplyErrorUpdatePolicy"))
        #expect(try await topic.scan().first?["name"] == .s("small"))
    }

    @Test func limitedLobModeCutsLargeTextAtACharacterBoundary() async throws {
        let topic = try await ApplyTestTopic("lob")
        defer { Task { await topic.dropTable() } }
        let settings = #"{"TargetMetadata": {"SupportLobs": true, "FullLobMode": false, "LimitedSizeLobMode": true, "LobMaxSize": 1}}"#
        let apply = topic.startApply(try Self.options(topic, settings: settings))
        defer { apply.task.cancel() }
        // 2,001 bytes of UTF-8: "a" then 1,000 two-byte "é". 1 KB holds "a" and 511 of them.
        let long = "a" + String(repeating: "é", count: 1000)
        try await topic.produce([
            topic.record(.create, id: 1, after: row(1, name: long, note: long), lsn: 10),
            topic.record(.create, id: 2, after: row(2, name: "short", note: "short"), lsn: 20),
        ])
        let expectedCut = "a" + String(repeating: "é", count: 511)
        let items = try await topic.items { $0.count == 2 }
        #expect(items.map { $0["note"] } == [.s(expectedCut), .s("short")])
        #expect(items.map { $0["name"] } == [.s(expectedCut), .s("short")])
        // The cut says so in the item; an item nothing was cut from has no such attribute.
        #expect(items.map { $0["_ferry_truncated"] } == [.ss(["name", "note"]), nil])
    }

    /// The truncation attribute follows the row: a partial update (note unchanged, so its stored value may be the
    /// cut one) names the unchanged large column; a later whole row that fits leaves the item without it.
    @Test func theTruncationAttributeGoesWhenAWriteCutsNothing() async throws {
        let topic = try await ApplyTestTopic("lobmark")
        defer { Task { await topic.dropTable() } }
        let settings = #"{"TargetMetadata": {"LimitedSizeLobMode": true, "LobMaxSize": 1}}"#
        let apply = topic.startApply(try Self.options(topic, settings: settings))
        defer { apply.task.cancel() }
        let long = String(repeating: "x", count: 1025), cut = String(repeating: "x", count: 1024)
        try await topic.produce([topic.record(.create, id: 1, after: row(1, name: long, note: long), lsn: 10)])
        let created = try await topic.items { $0.first?["_ferry_truncated"] != nil }
        #expect(created.first?["_ferry_truncated"] == .ss(["name", "note"]))

        let partial: JSONObject = ["id": .integer(1), "name": .string("fits"), "amount": .number("2")]
        try await topic.produce([topic.record(.update, id: 1, after: partial, lsn: 20, unchanged: ["note"])])
        let updated = try await topic.items { $0.first?["name"] == .s("fits") }
        #expect(updated.first?["note"] == .s(cut))
        #expect(updated.first?["_ferry_truncated"] == .ss(["note"]))

        try await topic.produce([topic.record(.update, id: 1, after: row(1, name: "fits", note: "fits too"), lsn: 30)])
        let whole = try await topic.items { $0.first?["note"] == .s("fits too") }
        #expect(whole.first?["_ferry_truncated"] == nil, "\(whole)")
    }

    @Test func dataTruncationIgnoreRecordSkipsARecordLobModeWouldCut() async throws {
        let topic = try await ApplyTestTopic("lobignore")
        defer { Task { await topic.dropTable() } }
        let settings = """
            {"TargetMetadata": {"LimitedSizeLobMode": true, "LobMaxSize": 1},
             "ErrorBehavior": {"DataTruncationErrorPolicy": "IGNORE_RECORD"}}
            """
        let apply = topic.startApply(try Self.options(topic, settings: settings))
        defer { apply.task.cancel() }
        try await topic.produce([
            topic.record(.create, id: 1, after: row(1, name: "long", note: String(repeating: "x", count: 1025)), lsn: 10),
            topic.record(.create, id: 2, after: row(2, name: "fits", note: String(repeating: "x", count: 1024)), lsn: 20),
        ])
        let items = try await topic.items { $0.map(ApplyTestTopic.id(of:)) == [2] }
        #expect(items.map(ApplyTestTopic.id(of:)) == [2])
        #expect(items.first?["note"] == .s(String(repeating: "x", count: 1024)))
        let deadline = ContinuousClock.Instant.deadline(in: .seconds(30))
        while apply.service.statistics.tables["public.\(topic.sourceTable)"]?.ignored != 1, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(apply.service.statistics.tables["public.\(topic.sourceTable)"]?.ignored == 1)
    }

    /// The error apply ended with (nil if none), awaited so that the suite's time limit, which cancels the test,
    /// stops apply too: a stop that does not come fails the test rather than hanging it.
    static func end(of task: Task<Void, any Error>) async -> (any Error)? {
        await withTaskCancellationHandler {
            do {
                try await task.value
                return nil
            } catch {
                return error
            }
        } onCancel: {
            task.cancel()
        }
    }

    /// The messages of partition 0 of `topic`: until `atLeast` arrived (30 s at most), then 2 s more for any other.
    static func messages(of topic: String, atLeast count: Int = 0) async throws -> [KafkaMessage] {
        try await ApplyServiceTests.readAll(topic: topic, count: count, settle: .seconds(2))
    }
}
