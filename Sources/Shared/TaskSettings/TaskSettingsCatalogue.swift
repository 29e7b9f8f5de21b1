/// The AWS DMS task settings Ferry knows (DMS User Guide, "Specifying task settings"), and why the ones no
/// command maps have no Ferry meaning. The one home of that list: `ferry capture`, `apply` and `validate` report
/// from it.
public enum TaskSettingsCatalogue {
    /// The keys of each section whose keys are checked (an unknown one is warned about with the nearest name);
    /// an empty list: a section taken whole, without a Ferry meaning.
    static let sections: [String: Set<String>] = [
        "TargetMetadata": [
            "TargetSchema", "SupportLobs", "FullLobMode", "LobChunkSize", "LimitedSizeLobMode", "LobMaxSize",
            "InlineLobMaxSize", "LoadMaxFileSize", "ParallelLoadThreads", "ParallelLoadBufferSize",
            "ParallelLoadQueuesPerThread", "ParallelApplyThreads", "ParallelApplyBufferSize",
            "ParallelApplyQueuesPerThread", "BatchApplyEnabled", "TaskRecoveryTableEnabled",
        ],
        "FullLoadSettings": [
            "TargetTablePrepMode", "CreatePkAfterFullLoad", "StopTaskCachedChangesApplied",
            "StopTaskCachedChangesNotApplied", "MaxFullLoadSubTasks", "TransactionConsistencyTimeout", "CommitRate",
        ],
        "ChangeProcessingTuning": [
            "BatchApplyPreserveTransaction", "BatchApplyTimeoutMin", "BatchApplyTimeoutMax", "BatchApplyMemoryLimit",
            "BatchSplitSize", "MinTransactionSize", "CommitTimeout", "MemoryLimitTotal", "MemoryKeepTime",
            "StatementCacheSize", "RecoveryTimeout",
        ],
        "ErrorBehavior": [
            "DataErrorPolicy", "DataTruncationErrorPolicy", "DataMaskingErrorPolicy", "DataErrorEscalationPolicy",
            "DataErrorEscalationCount", "EventErrorPolicy", "TableErrorPolicy", "TableErrorEscalationPolicy",
            "TableErrorEscalationCount", "RecoverableErrorCount", "RecoverableErrorInterval",
            "RecoverableErrorThrottling", "RecoverableErrorThrottlingMax", "RecoverableErrorStopRetryAfterThrottlingMax",
            "ApplyErrorDeletePolicy", "ApplyErrorInsertPolicy", "ApplyErrorUpdatePolicy", "ApplyErrorEscalationPolicy",
            "ApplyErrorEscalationCount", "ApplyErrorFailOnTruncationDdl", "FailOnNoTablesCaptured",
            "FailOnTransactionConsistencyBreached", "FullLoadIgnoreConflicts",
        ],
        "ValidationSettings": [
            "EnableValidation", "ValidationMode", "ThreadCount", "PartitionSize", "FailureMaxCount",
            "RecordFailureDelayInMinutes", "RecordSuspendDelayInMinutes", "MaxKeyColumnSize", "TableFailureMaxCount",
            "ValidationOnly", "HandleCollationDiff", "RecordFailureDelayLimitInMinutes", "SkipLobColumns",
            "ValidationPartialLobSize", "ValidationQueryCdcDelaySeconds",
        ],
        "Logging": [], "ControlTablesSettings": [], "StreamBufferSettings": [], "ChangeProcessingDdlHandlingPolicy": [],
        "LoopbackPreventionSettings": [], "CharacterSetSettings": [], "BeforeImageSettings": [],
        "PostProcessingRules": [], "TTSettings": [], "DataResyncSettings": [], "FailTaskWhenCleanTaskResourceFailed": [],
        "CloudWatchLogGroup": [], "CloudWatchLogStream": [],
    ]

    /// Settings one command maps and the other does not: the command that takes them.
    public static let capture: Set<String> = ["FullLoadSettings.MaxFullLoadSubTasks"]
    public static let apply: Set<String> = [
        "FullLoadSettings.TargetTablePrepMode", "FullLoadSettings.CommitRate",
        "TargetMetadata.SupportLobs", "TargetMetadata.FullLobMode", "TargetMetadata.LimitedSizeLobMode",
        "TargetMetadata.LobMaxSize", "ErrorBehavior.DataErrorPolicy", "ErrorBehavior.DataTruncationErrorPolicy",
        "ErrorBehavior.DataErrorEscalationPolicy", "ErrorBehavior.DataErrorEscalationCount",
        "ErrorBehavior.TableErrorPolicy", "ErrorBehavior.ApplyErrorDeletePolicy", "ErrorBehavior.ApplyErrorInsertPolicy",
        "ErrorBehavior.ApplyErrorUpdatePolicy", "ErrorBehavior.ApplyErrorEscalationPolicy",
        "ErrorBehavior.ApplyErrorEscalationCount",
    ]
    public static let validate: Set<String> = [
        "ValidationSettings.EnableValidation", "ValidationSettings.ValidationOnly", "ValidationSettings.ThreadCount",
        "ValidationSettings.FailureMaxCount",
        "ValidationSettings.TableFailureMaxCount", "ValidationSettings.RecordFailureDelayLimitInMinutes",
        "ValidationSettings.ValidationQueryCdcDelaySeconds",
    ]

    /// Why a setting neither command maps has no Ferry meaning (by section, or by `Section.Key` where it differs).
    public static func reasonIgnored(_ path: String) -> String {
        if let reason = reasons[path] { return reason }
        let section = String(path.prefix { $0 != "." })
        return reasons[section] ?? "no Ferry counterpart"
    }

    private static let reasons: [String: String] = [
        "TargetMetadata": "DynamoDB target: no schema, no load files, no control tables",
        "TargetMetadata.LobChunkSize": "PostgreSQL sends whole values (WAL and COPY); no LOB lookups to chunk",
        "TargetMetadata.InlineLobMaxSize": "PostgreSQL sends whole values (WAL and COPY); no LOB lookups",
        "TargetMetadata.ParallelLoadThreads": "apply writes with --concurrency requests in flight",
        "TargetMetadata.ParallelApplyThreads": "apply writes with --concurrency requests in flight",
        "TargetMetadata.BatchApplyEnabled":
            "apply always applies in batches: each poll coalesced to the last change per item, written concurrently, "
            + "committed once durable",
        "TargetMetadata.TaskRecoveryTableEnabled": "apply's recovery point is its consumer group's committed offsets",
        "FullLoadSettings.CreatePkAfterFullLoad": "DynamoDB tables have their key from creation",
        "FullLoadSettings.StopTaskCachedChangesApplied": "capture streams on after the snapshot; stop it with SIGTERM",
        "FullLoadSettings.StopTaskCachedChangesNotApplied": "capture streams on after the snapshot; stop it with SIGTERM",
        "FullLoadSettings.TransactionConsistencyTimeout":
            "the snapshot is an exported snapshot: consistent without waiting for open transactions",
        "ChangeProcessingTuning":
            "apply does not group by transaction: it commits Kafka offsets per poll batch (CommitRate sets its size), "
            + "and its memory is bounded by the consumer's prefetch queue (-X queued.max.messages.kbytes)",
        "ErrorBehavior":
            "Ferry retries what can heal (connection loss, throttling, 5xx) with backoff, without a limit, and stops "
            + "with one message on what cannot",
        "ErrorBehavior.DataMaskingErrorPolicy": "data masking rules are refused at start-up",
        "ErrorBehavior.EventErrorPolicy": "Ferry sends no task events",
        "ErrorBehavior.TableErrorEscalationPolicy": "a table error already stops apply",
        "ErrorBehavior.TableErrorEscalationCount": "a table error already stops apply",
        "ErrorBehavior.ApplyErrorFailOnTruncationDdl": "truncates follow --truncate ignore|delete",
        "ErrorBehavior.FailOnNoTablesCaptured": "capture always stops when the selection matches no table",
        "ErrorBehavior.FullLoadIgnoreConflicts":
            "versioned writes have no conflicts: the newest version wins (docs/design.md invariant 5)",
        "ValidationSettings": "no Ferry counterpart",
        "ValidationSettings.ValidationMode": "validate always compares row by row, every row (or --sample N)",
        "ValidationSettings.PartitionSize":
            "validate streams each table's rows with COPY against one scan of its items; nothing is partitioned",
        "ValidationSettings.RecordFailureDelayInMinutes":
            "no per-record re-validation: each period (--every) compares every row again",
        "ValidationSettings.RecordSuspendDelayInMinutes": "no suspended records: each run compares every row",
        "ValidationSettings.MaxKeyColumnSize": "keys of any size are compared",
        "ValidationSettings.HandleCollationDiff": "rows and items are matched by item key, not in sorted order",
        "ValidationSettings.SkipLobColumns":
            "large values are compared; those limited LOB mode cut compare as a prefix of the source value",
        "ValidationSettings.ValidationPartialLobSize":
            "large values are compared whole; those limited LOB mode cut compare as a prefix of the source value",
        "Logging": "logs go to stderr at --log-level",
        "ControlTablesSettings": "Ferry keeps its state in Kafka (<prefix>.ferry.state, consumer offsets), not in control tables",
        "StreamBufferSettings": "no stream buffers: capture streams into Kafka, apply reads it",
        "ChangeProcessingDdlHandlingPolicy": "added columns appear in the next records; DynamoDB needs no DDL",
        "LoopbackPreventionSettings": "one direction only",
        "CharacterSetSettings": "values are UTF-8 throughout",
        "BeforeImageSettings": "records carry `before` when the table has REPLICA IDENTITY FULL",
        "PostProcessingRules": "no Ferry counterpart",
        "TTSettings": "no Time Travel: the Kafka topics keep the history",
        "DataResyncSettings": "use ferry validate, then ferry replay or a backfill",
        "FailTaskWhenCleanTaskResourceFailed": "no task resources to clean",
        "CloudWatchLogGroup": "logs go to stderr", "CloudWatchLogStream": "logs go to stderr",
    ]
}
