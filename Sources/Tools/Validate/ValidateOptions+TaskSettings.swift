import Shared

extension ValidateOptions {
    /// How often `EnableValidation: true` validates when `--every` does not say.
    public static let defaultPeriod: Duration = .seconds(15 * 60)

    /// Takes what concerns validate from an AWS DMS task settings file (its `ValidationSettings`); a flag in
    /// `flagsGiven` (e.g. `--every`) wins over its setting. Returns what became of every setting of the file.
    public mutating func adopt(_ file: TaskSettingsFile, flagsGiven: Set<String>) throws(TaskSettingsError)
        -> TaskSettingsReport
    {
        var report = TaskSettingsReport(command: "validate", file: file)
        func take(_ name: String, flag: String? = nil, _ apply: () throws(TaskSettingsError) -> String?)
            throws(TaskSettingsError)
        {
            let path = "ValidationSettings.\(name)"
            guard let value = file.value(path), value != .null else { return }
            if let flag, flagsGiven.contains(flag) { return report.note(path, value, .overridden(flag: flag)) }
            if let applied = try apply() { report.note(path, value, .applied(applied)) }
        }

        try take("EnableValidation", flag: "--every") { () throws(TaskSettingsError) in
            guard let enabled = try file.bool("ValidationSettings.EnableValidation") else { return nil }
            guard enabled else { return "one run (no --every)" }
            every = Self.defaultPeriod
            return "--every 15m: validate runs on, once every 15 minutes"
        }
        try take("ValidationOnly") { () throws(TaskSettingsError) in
            _ = try file.bool("ValidationSettings.ValidationOnly")
            return "validate only compares, it never writes (capture and apply migrate)"
        }
        try take("ThreadCount", flag: "--parallel-tables") { () throws(TaskSettingsError) in
            guard let count = try file.positiveInteger("ValidationSettings.ThreadCount") else { return nil }
            parallelTables = count
            return "--parallel-tables \(count): up to \(count) tables compared at once, all in one snapshot"
        }
        try take("TableFailureMaxCount", flag: "--max-table-failures") { () throws(TaskSettingsError) in
            tableFailureLimit = try file.positiveInteger("ValidationSettings.TableFailureMaxCount")
            return tableFailureLimit.map { "--max-table-failures \($0): a table's comparison stops at its \($0)th failure" }
        }
        try take("FailureMaxCount", flag: "--max-failures") { () throws(TaskSettingsError) in
            runFailureLimit = try file.positiveInteger("ValidationSettings.FailureMaxCount")
            return runFailureLimit.map { "--max-failures \($0): a run stops comparing at its \($0)th failure" }
        }
        // Both are waits for changes in flight: DynamoDB is read that long after the source snapshot.
        let cdcDelay = try file.integer("ValidationSettings.ValidationQueryCdcDelaySeconds")
        let failureDelay = try file.integer("ValidationSettings.RecordFailureDelayLimitInMinutes")
        for (name, amount) in [("ValidationQueryCdcDelaySeconds", cdcDelay), ("RecordFailureDelayLimitInMinutes", failureDelay)] {
            if let amount, amount < 0 {
                throw .wrongType(path: "ValidationSettings.\(name)", expected: "a number of 0 or more", found: String(amount))
            }
        }
        let delaySeconds = max(cdcDelay ?? 0, (failureDelay ?? 0) * 60)
        for name in ["ValidationQueryCdcDelaySeconds", "RecordFailureDelayLimitInMinutes"] {
            try take(name, flag: "--target-read-delay") { () throws(TaskSettingsError) in
                targetReadDelay = .seconds(delaySeconds)
                return "--target-read-delay \(delaySeconds)s: DynamoDB is read \(delaySeconds) s after the source "
                    + "snapshot, so changes committed before it can land (later ones are tolerated by version)"
            }
        }
        report.noteTheRest(
            of: file, otherCommands: [("capture", TaskSettingsCatalogue.capture), ("apply", TaskSettingsCatalogue.apply)])
        return report
    }
}
