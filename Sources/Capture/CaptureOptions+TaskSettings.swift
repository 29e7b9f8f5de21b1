import Shared

extension CaptureOptions {
    /// Takes what concerns capture from an AWS DMS task settings file; a flag in `flagsGiven` (e.g.
    /// `--snapshot-workers`) wins over its setting. Returns what became of every setting of the file.
    public mutating func adopt(_ file: TaskSettingsFile, flagsGiven: Set<String>) throws(TaskSettingsError)
        -> TaskSettingsReport
    {
        var report = TaskSettingsReport(command: "capture", file: file)
        let path = "FullLoadSettings.MaxFullLoadSubTasks"
        if let value = file.value(path), value != .null {
            if flagsGiven.contains("--snapshot-workers") {
                report.note(path, value, .overridden(flag: "--snapshot-workers"))
            } else if let workers = try file.positiveInteger(path) {
                snapshotWorkers = workers
                report.note(path, value, .applied("--snapshot-workers \(workers)"))
            }
        }
        report.noteTheRest(
            of: file, otherCommands: [("apply", TaskSettingsCatalogue.apply), ("validate", TaskSettingsCatalogue.validate)])
        return report
    }
}
