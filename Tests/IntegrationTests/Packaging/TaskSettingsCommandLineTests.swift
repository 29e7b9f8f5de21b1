import Foundation
import Testing

/// `--task-settings` / `FERRY_TASK_SETTINGS` through the `ferry` executable: the start-up block, a flag winning over
/// the file, and a setting Ferry cannot honour stopping start-up.
@Suite("Packaging: task settings on the command line", .timeLimit(.minutes(1)))
struct TaskSettingsCommandLineTests {
    static func directory() throws -> (URL, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(TestStack.uniqueName("tasksettings"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("task-settings.json")
        try Data(#"{"FullLoadSettings": {"MaxFullLoadSubTasks": 6, "TargetTablePrepMode": "TRUNCATE_BEFORE_LOAD"}, "ErrorBehaviour": {}}"#.utf8)
            .write(to: file)
        return (directory, file.path)
    }

    @Test func applyRefusesASettingItCannotHonourBeforeConnecting() async throws {
        let (directory, file) = try Self.directory()
        let run = try await FerryRun.run(
            ["apply", "--brokers", "127.0.0.1:1", "--prefix", "p", "--group", "g", "--table-mappings",
             URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("examples/loanapp/table-mappings.json").path],
            in: directory, environment: ["FERRY_TASK_SETTINGS": file, "AWS_REGION": "us-east-1"])
        #expect(run.status == 1)
        #expect(run.errors.contains(
            "task setting FullLoadSettings.TargetTablePrepMode = TRUNCATE_BEFORE_LOAD is not supported: DynamoDB has no truncate"),
            "\(run.errors)")
    }

    @Test func captureLogsOneBlockWhereTheGivenFlagWinsAndUnknownNamesAreWarned() async throws {
        let (directory, file) = try Self.directory()
        let (child, errorPath) = try FerryRun.start(
            ["capture", "--source", "postgresql://u@127.0.0.1:1/db", "--brokers", "127.0.0.1:1", "--prefix", "p",
             "--tables", "public.t", "--task-settings", file, "--snapshot-workers", "3"],
            in: directory)
        let expected = """
            task settings for ferry capture:
              overridden by the command line:
                FullLoadSettings.MaxFullLoadSubTasks = 6 (--snapshot-workers given)
              left to another command:
                FullLoadSettings.TargetTablePrepMode = "TRUNCATE_BEFORE_LOAD" (ferry apply)
              warnings:
                unknown task setting ErrorBehaviour (ignored); did you mean ErrorBehavior?
            """
        var errors = ""
        let deadline = ContinuousClock.Instant.deadline(in: .seconds(20))
        while !errors.contains(expected), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        }
        child.signal(SIGTERM)
        _ = try await child.wait(within: .seconds(30))
        #expect(errors.contains(expected), "\(errors)")
    }
}
