import ArgumentParser
import Foundation
import Logging
import Shared

/// `--task-settings` / `FERRY_TASK_SETTINGS`: an AWS DMS task settings file; each command takes what concerns it,
/// and flags given on the command line win over it.
struct TaskSettingsOptions: ParsableArguments {
    @Option(
        help: """
            AWS DMS task settings JSON (or FERRY_TASK_SETTINGS): the settings with a Ferry meaning are taken, flags \
            given on the command line win, and the start-up log says what became of each setting.
            """)
    var taskSettings: String?

    /// The file, or nil when none is given.
    func load() throws -> TaskSettingsFile? {
        guard let path = try? setting(taskSettings, flag: "--task-settings", variable: "FERRY_TASK_SETTINGS") else {
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read the task settings at \(path)")
        }
        do {
            return try TaskSettingsFile.parse(Array(data))
        } catch {
            throw ValidationError("\(path): \(error)")
        }
    }

    /// Logs the report as one block: a warning when a name was unknown.
    static func log(_ report: TaskSettingsReport, to logger: Logger) {
        logger.log(level: report.warnings.isEmpty ? .info : .warning, "\(report.text)")
    }
}
