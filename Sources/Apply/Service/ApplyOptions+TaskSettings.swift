import Shared

extension ApplyOptions {
    /// Takes what concerns apply from an AWS DMS task settings file; a flag in `flagsGiven` (e.g.
    /// `--target-table-prep`) wins over its setting. Returns what became of every setting of the file.
    public mutating func adopt(_ file: TaskSettingsFile, flagsGiven: Set<String>) throws(TaskSettingsError)
        -> TaskSettingsReport
    {
        var report = TaskSettingsReport(command: "apply", file: file)
        func take(_ path: String, flag: String? = nil, _ apply: () throws(TaskSettingsError) -> String?)
            throws(TaskSettingsError)
        {
            guard let value = file.value(path), value != .null else { return }
            if let flag, flagsGiven.contains(flag) { return report.note(path, value, .overridden(flag: flag)) }
            if let applied = try apply() { report.note(path, value, .applied(applied)) }
        }

        try take("FullLoadSettings.TargetTablePrepMode", flag: "--target-table-prep") { () throws(TaskSettingsError) in
            let path = "FullLoadSettings.TargetTablePrepMode"
            let choices = TargetTablePrep.allCases.map(\.rawValue) + ["TRUNCATE_BEFORE_LOAD"]
            guard let mode = try file.choice(path, of: choices) else { return nil }
            guard let prep = TargetTablePrep(rawValue: mode) else {
                throw .unsupported(
                    path: path, value: mode,
                    fix: "DynamoDB has no truncate; use DROP_AND_CREATE (drops and creates each table once per "
                        + "consumer group) or empty the tables yourself and use DO_NOTHING")
            }
            targetTablePrep = prep
            return "--target-table-prep \(prep.rawValue)"
        }
        try take("FullLoadSettings.CommitRate") { () throws(TaskSettingsError) in
            guard let rate = try file.positiveInteger("FullLoadSettings.CommitRate") else { return nil }
            maxBatchSize = rate
            return "\(rate) records per poll batch (the unit of coalescing and of offset commits)"
        }
        try adoptErrorBehavior(from: file, flagsGiven: flagsGiven, into: &report)
        try adoptLobMode(from: file, into: &report)
        report.noteTheRest(
            of: file,
            otherCommands: [("capture", TaskSettingsCatalogue.capture), ("validate", TaskSettingsCatalogue.validate)])
        return report
    }

    private mutating func adoptErrorBehavior(
        from file: TaskSettingsFile, flagsGiven: Set<String>, into report: inout TaskSettingsReport
    ) throws(TaskSettingsError) {
        let policies: [(String, WritableKeyPath<RecordErrorBehavior, RecordErrorBehavior.Action>, [String])] = [
            ("DataErrorPolicy", \.data, []), ("DataTruncationErrorPolicy", \.truncation, []),
            ("ApplyErrorInsertPolicy", \.applyInsert, ["INSERT_RECORD"]),
            ("ApplyErrorUpdatePolicy", \.applyUpdate, ["UPDATE_RECORD"]), ("ApplyErrorDeletePolicy", \.applyDelete, []),
        ]
        let paths = policies.map { "ErrorBehavior.\($0.0)" } + [
            "ErrorBehavior.DataErrorEscalationPolicy", "ErrorBehavior.DataErrorEscalationCount",
            "ErrorBehavior.ApplyErrorEscalationPolicy", "ErrorBehavior.ApplyErrorEscalationCount",
            "ErrorBehavior.TableErrorPolicy",
        ]
        if flagsGiven.contains("--on-error") {
            for path in paths { if let value = file.value(path) { report.note(path, value, .overridden(flag: "--on-error")) } }
            return
        }
        var behavior = RecordErrorBehavior()
        for (name, keyPath, upserts) in policies {
            let path = "ErrorBehavior.\(name)"
            guard let text = try file.choice(path, of: Self.recordPolicies + upserts) else { continue }
            behavior[keyPath: keyPath] = Self.action(text)
            let what: String =
                switch Self.action(text) {
                case .ignoreRecord: "count, log and skip the record"
                case .logError where keyPath == \.truncation: "write the value cut, and log it"
                case .logError: "dead-letter the record and go on"
                case .stopTask: "stop apply at the record"
                }
            let upsert = upserts.contains(text) ? " (the write itself is always an upsert by version)" : ""
            report.note(path, .string(text), .applied(Self.errorClass[name, default: ""] + what + upsert))
        }
        // DMS's defaults: SUSPEND_TABLE for data errors, LOG_ERROR for apply errors.
        for (prefix, keyPath, choices) in [
            ("DataError", \RecordErrorBehavior.dataEscalation, ["SUSPEND_TABLE", "STOP_TASK"]),
            ("ApplyError", \RecordErrorBehavior.applyEscalation, ["LOG_ERROR", "SUSPEND_TABLE", "STOP_TASK"]),
        ] {
            let countPath = "ErrorBehavior.\(prefix)EscalationCount", policyPath = "ErrorBehavior.\(prefix)EscalationPolicy"
            let policy = try file.choice(policyPath, of: choices) ?? choices[0]
            let count = try file.integer(countPath) ?? 0
            guard count > 0 else {
                for path in [countPath, policyPath] {
                    if let value = file.value(path) { report.note(path, value, .ignored("escalation off (count 0)")) }
                }
                continue
            }
            behavior[keyPath: keyPath] = RecordErrorBehavior.Escalation(
                count: count, action: Self.action(policy), setting: "ErrorBehavior.\(prefix)EscalationPolicy \(policy)")
            report.note(countPath, .integer(count), .applied("\(policy) from error \(count) of a table in one run"))
            if let value = file.value(policyPath) { report.note(policyPath, value, .applied("see \(countPath)")) }
        }
        if let policy = try file.choice("ErrorBehavior.TableErrorPolicy", of: ["SUSPEND_TABLE", "STOP_TASK"]) {
            report.note(
                "ErrorBehavior.TableErrorPolicy", .string(policy),
                .applied("a table error (target table missing, key schema mismatch) stops apply, naming the table"))
        }
        errorBehavior = behavior
    }

    private mutating func adoptLobMode(from file: TaskSettingsFile, into report: inout TaskSettingsReport)
        throws(TaskSettingsError)
    {
        let supportLobs = try file.bool("TargetMetadata.SupportLobs")
        let full = try file.bool("TargetMetadata.FullLobMode")
        let limited = try file.bool("TargetMetadata.LimitedSizeLobMode")
        let maximumKB = try file.positiveInteger("TargetMetadata.LobMaxSize")
        switch supportLobs {
        case true?: report.note("TargetMetadata.SupportLobs", .bool(true), .applied("large values carried"))
        case false?:
            report.note(
                "TargetMetadata.SupportLobs", .bool(false),
                .ignored("Ferry always carries large values; leave columns out with a remove-column transformation rule"))
        case nil: break
        }
        if full == true && limited == true {
            throw .unsupported(
                path: "TargetMetadata.FullLobMode", value: "true",
                fix: "FullLobMode and LimitedSizeLobMode are both true; set one of them to false")
        }
        if let full { report.note("TargetMetadata.FullLobMode", .bool(full), .applied(full ? "values written whole" : "see LimitedSizeLobMode")) }
        guard limited == true else {
            if let limited { report.note("TargetMetadata.LimitedSizeLobMode", .bool(limited), .applied("values written whole")) }
            if let value = file.value("TargetMetadata.LobMaxSize") {
                report.note("TargetMetadata.LobMaxSize", value, .ignored("LimitedSizeLobMode is not true"))
            }
            return
        }
        // DMS's default LobMaxSize is 32 KB.
        let kilobytes = maximumKB ?? 32
        lobMaximumBytes = kilobytes * 1024
        report.note(
            "TargetMetadata.LimitedSizeLobMode", .bool(true),
            .applied(
                "text, xml and bytea values over \(kilobytes) KB are cut (apply cuts; the topics keep them whole)"
                    + (truncationAttribute.map { "; an item names its cut attributes in \($0)" } ?? "")))
        if let value = file.value("TargetMetadata.LobMaxSize") {
            report.note("TargetMetadata.LobMaxSize", value, .applied("\(kilobytes * 1024) bytes"))
        }
    }

    private static let recordPolicies = ["IGNORE_RECORD", "LOG_ERROR", "SUSPEND_TABLE", "STOP_TASK"]

    private static let errorClass = [
        "DataErrorPolicy": "undecodable or unmappable records: ",
        "DataTruncationErrorPolicy": "values cut by limited LOB mode: ",
        "ApplyErrorInsertPolicy": "inserts DynamoDB refuses: ",
        "ApplyErrorUpdatePolicy": "updates DynamoDB refuses: ",
        "ApplyErrorDeletePolicy": "deletes DynamoDB refuses: ",
    ]

    /// DMS's policy names as apply's actions: a table cannot be suspended on its own (its records would have to
    /// wait in their partitions, uncommitted, while others move on), so SUSPEND_TABLE stops apply as STOP_TASK does.
    private static func action(_ policy: String) -> RecordErrorBehavior.Action {
        switch policy {
        case "IGNORE_RECORD": .ignoreRecord
        case "SUSPEND_TABLE", "STOP_TASK": .stopTask
        default: .logError
        }
    }
}
