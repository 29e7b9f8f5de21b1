import Foundation
import Shared
import Testing

@testable import Apply

@Suite("Apply task settings")
struct ApplyTaskSettingsTests {
    static func options() throws -> ApplyOptions {
        let mappings = try TableMappings.parse(Array(
            #"{"rules":[{"rule-type":"selection","rule-id":"1","rule-name":"1","object-locator":{"schema-name":"%","table-name":"%"},"rule-action":"include"}]}"#.utf8))
        return ApplyOptions(kafka: KafkaConfiguration(brokers: "b", ["group.id": "g"]), prefix: "p", mappings: mappings)
    }

    static func adopt(_ settings: String, flagsGiven: Set<String> = []) throws -> (ApplyOptions, TaskSettingsReport) {
        var options = try options()
        let report = try options.adopt(try TaskSettingsFile.parse(Array(settings.utf8)), flagsGiven: flagsGiven)
        return (options, report)
    }

    static func outcome(_ report: TaskSettingsReport, _ path: String) -> TaskSettingsReport.Outcome? {
        report.entries.first { $0.path == path }?.outcome
    }

    @Test func fullLoadSettingsMapToTablePrepAndBatchSize() throws {
        let (options, report) = try Self.adopt("""
            {"FullLoadSettings": {"TargetTablePrepMode": "DROP_AND_CREATE", "CommitRate": 500, "MaxFullLoadSubTasks": 8}}
            """)
        #expect(options.targetTablePrep == .dropAndCreate)
        #expect(options.maxBatchSize == 500)
        #expect(Self.outcome(report, "FullLoadSettings.TargetTablePrepMode") == .applied("--target-table-prep DROP_AND_CREATE"))
        #expect(Self.outcome(report, "FullLoadSettings.MaxFullLoadSubTasks") == .otherCommand("capture"))
    }

    @Test func flagsGivenOnTheCommandLineWin() throws {
        let settings = """
            {"FullLoadSettings": {"TargetTablePrepMode": "DROP_AND_CREATE"},
             "ErrorBehavior": {"DataErrorPolicy": "STOP_TASK", "DataErrorEscalationCount": 3}}
            """
        let (options, report) = try Self.adopt(settings, flagsGiven: ["--target-table-prep", "--on-error"])
        #expect(options.targetTablePrep == .doNothing)
        #expect(options.errorBehavior == RecordErrorBehavior())
        #expect(Self.outcome(report, "FullLoadSettings.TargetTablePrepMode") == .overridden(flag: "--target-table-prep"))
        #expect(Self.outcome(report, "ErrorBehavior.DataErrorPolicy") == .overridden(flag: "--on-error"))
        #expect(Self.outcome(report, "ErrorBehavior.DataErrorEscalationCount") == .overridden(flag: "--on-error"))
    }

    @Test func truncateBeforeLoadIsRefusedWithTheAlternatives() throws {
        let error = #expect(throws: TaskSettingsError.self) {
            try Self.adopt(#"{"FullLoadSettings": {"TargetTablePrepMode": "TRUNCATE_BEFORE_LOAD"}}"#)
        }
        #expect(error?.description.contains("use DROP_AND_CREATE") == true)
    }

    @Test func errorBehaviorMapsEachPolicyByClassWithEscalations() throws {
        let (options, report) = try Self.adopt("""
            {"ErrorBehavior": {"DataErrorPolicy": "IGNORE_RECORD", "DataTruncationErrorPolicy": "SUSPEND_TABLE",
              "DataErrorEscalationPolicy": "STOP_TASK", "DataErrorEscalationCount": 5,
              "ApplyErrorInsertPolicy": "INSERT_RECORD", "ApplyErrorUpdatePolicy": "STOP_TASK",
              "ApplyErrorDeletePolicy": "IGNORE_RECORD", "ApplyErrorEscalationCount": 0,
              "RecoverableErrorCount": -1, "TableErrorPolicy": "SUSPEND_TABLE"}}
            """)
        let behavior = options.errorBehavior
        #expect(behavior.action(for: .data) == .ignoreRecord)
        #expect(behavior.action(for: .truncation) == .stopTask)
        #expect(behavior.action(for: .apply(.create)) == .logError)
        #expect(behavior.action(for: .apply(.read)) == .logError)
        #expect(behavior.action(for: .apply(.update)) == .stopTask)
        #expect(behavior.action(for: .apply(.delete)) == .ignoreRecord)
        #expect(behavior.dataEscalation == .init(count: 5, action: .stopTask, setting: "ErrorBehavior.DataErrorEscalationPolicy STOP_TASK"))
        #expect(behavior.applyEscalation == nil)
        #expect(behavior.setting(for: .apply(.update)) == "ErrorBehavior.ApplyErrorUpdatePolicy")
        #expect(Self.outcome(report, "ErrorBehavior.ApplyErrorEscalationCount") == .ignored("escalation off (count 0)"))
        guard case .ignored? = Self.outcome(report, "ErrorBehavior.RecoverableErrorCount") else {
            Issue.record("RecoverableErrorCount not reported as ignored: \(report.text)")
            return
        }
        #expect(throws: TaskSettingsError.self) { try Self.adopt(#"{"ErrorBehavior": {"DataErrorPolicy": "UPDATE_RECORD"}}"#) }
    }

    @Test func limitedLobModeSetsTheLimitAndFullLobModeNone() throws {
        let (limited, _) = try Self.adopt(#"{"TargetMetadata": {"LimitedSizeLobMode": true, "LobMaxSize": 64}}"#)
        #expect(limited.lobMaximumBytes == 64 * 1024)
        let (defaultSize, _) = try Self.adopt(#"{"TargetMetadata": {"LimitedSizeLobMode": true}}"#)
        #expect(defaultSize.lobMaximumBytes == 32 * 1024)
        let (full, report) = try Self.adopt(#"{"TargetMetadata": {"FullLobMode": true, "LimitedSizeLobMode": false, "LobMaxSize": 64}}"#)
        #expect(full.lobMaximumBytes == nil)
        #expect(Self.outcome(report, "TargetMetadata.LobMaxSize") == .ignored("LimitedSizeLobMode is not true"))
        #expect(throws: TaskSettingsError.self) { try Self.adopt(#"{"TargetMetadata": {"FullLobMode": true, "LimitedSizeLobMode": true}}"#) }
    }

    @Test func lobLimitCutsTextAtACharacterBoundaryAndByteaByBytesButNeverAKey() throws {
        let limit = LobLimit(maximumBytes: 4)
        #expect(limit.cutText("abcd") == nil)
        #expect(limit.cutText("abcde") == "abcd")
        #expect(limit.cutText("aéé") == "aé")  // 5 bytes; the second é would end at byte 5
        #expect(limit.cutText("€€") == "€")
        #expect(limit.cutBytea(Base64.encode([1, 2, 3, 4])) == nil)
        #expect(limit.cutBytea(Base64.encode([1, 2, 3, 4, 5, 6])) == Base64.encode([1, 2, 3, 4]))
        var record = ChangeRecord(
            op: .create, tsMs: 0,
            source: SourceInfo(
                version: "t", name: "p", db: "d", schema: "s", table: "t", snapshot: false, txId: 1,
                lsn: LSN(rawValue: 1), commitLSN: LSN(rawValue: 1), seq: 0, tsMs: 0),
            key: ["code": "keykeykey"], before: nil,
            after: ["code": "keykeykey", "body": "bodybody", "n": 12345678, "data": .string(Base64.encode([9, 9, 9, 9, 9]))],
            types: [ColumnType(column: "code", typeName: "text"), ColumnType(column: "body", typeName: "text"),
                    ColumnType(column: "n", typeName: "int8"), ColumnType(column: "data", typeName: "bytea")],
            unchanged: [])
        #expect(limit.cut(&record) == ["body", "data"])
        #expect(record.after == ["code": "keykeykey", "body": "body", "n": 12345678, "data": .string(Base64.encode([9, 9, 9, 9]))])
    }

    /// examples/loanapp/task-settings.json, which the demo runs with: every setting is known and taken or reported.
    @Test func theLoanAppExampleFileIsAdoptedWithoutWarnings() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/loanapp/task-settings.json")
        var options = try Self.options()
        let report = try options.adopt(try TaskSettingsFile.parse(Array(try Data(contentsOf: path))), flagsGiven: [])
        #expect(report.warnings.isEmpty)
        #expect(options.maxBatchSize == 2000)
        #expect(options.lobMaximumBytes == 32 * 1024)
        #expect(options.errorBehavior.applyDelete == .ignoreRecord)
        #expect(options.errorBehavior.dataEscalation?.count == 100)
        #expect(options.errorBehavior.applyEscalation?.action == .stopTask)
        #expect(Self.outcome(report, "FullLoadSettings.MaxFullLoadSubTasks") == .otherCommand("capture"))
        #expect(Self.outcome(report, "ValidationSettings.EnableValidation") == .otherCommand("validate"))
    }
}
