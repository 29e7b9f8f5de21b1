import Apply
import Capture
import Shared
import Testing

@testable import Tools

/// `ferry validate --task-settings`: what the ValidationSettings become, and that every other setting is reported.
@Suite struct ValidateTaskSettingsTests {
    static func adopt(_ json: String, flagsGiven: Set<String> = []) throws -> (ValidateOptions, TaskSettingsReport) {
        var options = ValidateOptions(
            source: SourceConnector(connectionString: "postgresql://ferry@db/loans"), mappings: try TableMappings.parse(Array(#"{"rules":[{"rule-type":"selection","rule-id":"1","rule-name":"1","object-locator":{"schema-name":"public","table-name":"%"},"rule-action":"include"}]}"#.utf8)))
        let report = try options.adopt(try TaskSettingsFile.parse(Array(json.utf8)), flagsGiven: flagsGiven)
        return (options, report)
    }

    static func outcome(_ report: TaskSettingsReport, _ path: String) -> TaskSettingsReport.Outcome? {
        report.entries.first { $0.path == path }?.outcome
    }

    @Test func validationSettingsMapToPeriodLimitsAndDelay() throws {
        let (options, report) = try Self.adopt(
            """
            {"ValidationSettings": {"EnableValidation": true, "ThreadCount": 5, "FailureMaxCount": 10000,
              "TableFailureMaxCount": 1000, "ValidationOnly": false, "RecordFailureDelayLimitInMinutes": 1,
              "ValidationQueryCdcDelaySeconds": 20, "PartitionSize": 10000},
             "FullLoadSettings": {"CommitRate": 500, "MaxFullLoadSubTasks": 4}, "Logging": {"EnableLogging": true}}
            """)
        #expect(options.every == .seconds(900))
        #expect(options.tableFailureLimit == 1000 && options.runFailureLimit == 10000)
        #expect(options.targetReadDelay == .seconds(60))
        #expect(options.parallelTables == 5)
        #expect(report.warnings.isEmpty)
        for path in ["EnableValidation", "ValidationOnly", "ThreadCount", "FailureMaxCount", "TableFailureMaxCount",
                     "RecordFailureDelayLimitInMinutes", "ValidationQueryCdcDelaySeconds"] {
            guard case .applied? = Self.outcome(report, "ValidationSettings.\(path)") else {
                Issue.record("\(path) not applied: \(report.text)")
                continue
            }
        }
        #expect(
            Self.outcome(report, "ValidationSettings.PartitionSize")
                == .ignored(TaskSettingsCatalogue.reasonIgnored("ValidationSettings.PartitionSize")))
        #expect(Self.outcome(report, "FullLoadSettings.CommitRate") == .otherCommand("apply"))
        #expect(Self.outcome(report, "FullLoadSettings.MaxFullLoadSubTasks") == .otherCommand("capture"))
        #expect(Self.outcome(report, "Logging") == .ignored("logs go to stderr at --log-level"))
        #expect(report.text.hasPrefix("task settings for ferry validate:\n  applied:\n    ValidationSettings.EnableValidation = true -> --every 15m"))
    }

    @Test func flagsWinAndDisabledValidationIsOneRun() throws {
        let (given, report) = try Self.adopt(
            #"{"ValidationSettings": {"EnableValidation": true, "TableFailureMaxCount": 5}}"#,
            flagsGiven: ["--every", "--max-table-failures"])
        #expect(given.every == nil && given.tableFailureLimit == nil)
        #expect(Self.outcome(report, "ValidationSettings.EnableValidation") == .overridden(flag: "--every"))
        let (disabled, _) = try Self.adopt(#"{"ValidationSettings": {"EnableValidation": false}}"#)
        #expect(disabled.every == nil)
        #expect(throws: TaskSettingsError.self) { try Self.adopt(#"{"ValidationSettings": {"ValidationQueryCdcDelaySeconds": -1}}"#) }
        #expect(throws: TaskSettingsError.self) { try Self.adopt(#"{"ValidationSettings": {"FailureMaxCount": 0}}"#) }
    }
}
