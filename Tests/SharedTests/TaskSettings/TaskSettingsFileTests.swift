import Shared
import Testing

@Suite("DMS task settings file")
struct TaskSettingsFileTests {
    @Test func readsSettingsBySectionAndKeyWithTheirTypes() throws {
        let file = try TaskSettingsFile.parse(Array("""
            {"FullLoadSettings": {"MaxFullLoadSubTasks": 8, "TargetTablePrepMode": "DO_NOTHING"},
             "TargetMetadata": {"LimitedSizeLobMode": true}, "Logging": {"EnableLogging": true}}
            """.utf8))
        #expect(try file.integer("FullLoadSettings.MaxFullLoadSubTasks") == 8)
        #expect(try file.string("FullLoadSettings.TargetTablePrepMode") == "DO_NOTHING")
        #expect(try file.bool("TargetMetadata.LimitedSizeLobMode") == true)
        #expect(try file.integer("FullLoadSettings.CommitRate") == nil)
        // A section without a Ferry meaning is one setting, its keys unchecked.
        #expect(file.settings.map(\.path) == [
            "FullLoadSettings.MaxFullLoadSubTasks", "FullLoadSettings.TargetTablePrepMode",
            "TargetMetadata.LimitedSizeLobMode", "Logging",
        ])
        #expect(file.unknownNames.isEmpty)
    }

    @Test func unknownNamesAreKeptAsWarningsWithTheNearestValidName() throws {
        let file = try TaskSettingsFile.parse(Array("""
            {"FullLoadSettings": {"MaxFullLoadSubTask": 8, "Zzz": 1}, "ErrorBehaviour": {}}
            """.utf8))
        #expect(file.unknownNames.map(\.path) == ["FullLoadSettings.MaxFullLoadSubTask", "FullLoadSettings.Zzz", "ErrorBehaviour"])
        #expect(file.unknownNames.map(\.nearest) == ["MaxFullLoadSubTasks", nil, "ErrorBehavior"])
        #expect(file.settings.isEmpty)
        let report = TaskSettingsReport(command: "apply", file: file)
        #expect(report.warnings == [
            "unknown task setting FullLoadSettings.MaxFullLoadSubTask (ignored); did you mean MaxFullLoadSubTasks?",
            "unknown task setting FullLoadSettings.Zzz (ignored)",
            "unknown task setting ErrorBehaviour (ignored); did you mean ErrorBehavior?",
        ])
    }

    @Test func aValueOfTheWrongTypeOrChoiceFailsNamingTheSetting() throws {
        let file = try TaskSettingsFile.parse(Array(#"{"FullLoadSettings": {"MaxFullLoadSubTasks": "8", "CommitRate": 0, "TargetTablePrepMode": "DROP"}}"#.utf8))
        #expect(throws: TaskSettingsError.wrongType(path: "FullLoadSettings.MaxFullLoadSubTasks", expected: "an integer", found: "\"8\"")) {
            try file.integer("FullLoadSettings.MaxFullLoadSubTasks")
        }
        #expect(throws: TaskSettingsError.wrongType(path: "FullLoadSettings.CommitRate", expected: "a positive integer", found: "0")) {
            try file.positiveInteger("FullLoadSettings.CommitRate")
        }
        let choice = #expect(throws: TaskSettingsError.self) {
            try file.choice("FullLoadSettings.TargetTablePrepMode", of: ["DO_NOTHING", "DROP_AND_CREATE"])
        }
        #expect(choice?.description == "task setting FullLoadSettings.TargetTablePrepMode is \"DROP\"; it must be one of DO_NOTHING, DROP_AND_CREATE")
        #expect(throws: TaskSettingsError.self) { try TaskSettingsFile.parse(Array("[1]".utf8)) }
        #expect(throws: TaskSettingsError.self) { try TaskSettingsFile.parse(Array("{".utf8)) }
    }

    @Test func theStartUpBlockListsEverySettingOnceByOutcome() throws {
        let file = try TaskSettingsFile.parse(Array("""
            {"FullLoadSettings": {"MaxFullLoadSubTasks": 4, "CommitRate": 500, "TargetTablePrepMode": "DO_NOTHING",
                                  "CreatePkAfterFullLoad": false},
             "Logging": {}, "TargetMetadata": {"LobMaxSiz": 1}}
            """.utf8))
        var report = TaskSettingsReport(command: "capture", file: file)
        report.note("FullLoadSettings.MaxFullLoadSubTasks", .integer(4), .applied("--snapshot-workers 4"))
        report.note("FullLoadSettings.CommitRate", .integer(500), .overridden(flag: "--x"))
        report.noteTheRest(of: file, otherCommands: [("apply", ["FullLoadSettings.TargetTablePrepMode"])])
        #expect(report.text == """
            task settings for ferry capture:
              applied:
                FullLoadSettings.MaxFullLoadSubTasks = 4 -> --snapshot-workers 4
              overridden by the command line:
                FullLoadSettings.CommitRate = 500 (--x given)
              left to another command:
                FullLoadSettings.TargetTablePrepMode = "DO_NOTHING" (ferry apply)
              ignored:
                FullLoadSettings.CreatePkAfterFullLoad = false: DynamoDB tables have their key from creation
                Logging = {...}: logs go to stderr at --log-level
              warnings:
                unknown task setting TargetMetadata.LobMaxSiz (ignored); did you mean LobMaxSize?
            """)
    }
}
