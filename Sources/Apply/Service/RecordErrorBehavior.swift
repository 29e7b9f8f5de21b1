import Shared

/// What apply does with a record it cannot apply, per kind of error: AWS DMS's ErrorBehavior, as far as it has a
/// Ferry meaning (`--task-settings`; `--on-error` sets every kind at once).
public struct RecordErrorBehavior: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable {
        /// IGNORE_RECORD: counted (`ignored`), logged, skipped; its offset is committed.
        case ignoreRecord = "IGNORE_RECORD"
        /// LOG_ERROR: the record goes to the dead-letter topic with its reason and apply carries on. (A value limited
        /// LOB mode cut is written cut, and logged.)
        case logError = "LOG_ERROR"
        /// STOP_TASK (and SUSPEND_TABLE, see README): apply stops before committing the record's offset.
        case stopTask = "STOP_TASK"
    }

    /// DMS's error classes, as Ferry's errors fall into them.
    public enum Kind: Sendable, Hashable {
        /// The record cannot be read or mapped (malformed, unmappable, out of range): DataErrorPolicy.
        case data
        /// Limited LOB mode cut a value: DataTruncationErrorPolicy.
        case truncation
        /// DynamoDB refuses the write (a validation error, an item over 400 KB), by the record's operation:
        /// ApplyErrorInsertPolicy, ApplyErrorUpdatePolicy, ApplyErrorDeletePolicy.
        case apply(Operation)

        var isApply: Bool { if case .apply = self { true } else { false } }
    }

    /// After `count` errors of its class (data and truncation errors together; apply errors) in one table, in one run,
    /// the next ones get `action`: DataErrorEscalationCount/Policy, ApplyErrorEscalationCount/Policy.
    public struct Escalation: Sendable, Hashable {
        public var count: Int
        public var action: Action
        /// The settings that say so, for the stop message.
        public var setting: String

        public init(count: Int, action: Action, setting: String) {
            self.count = count
            self.action = action
            self.setting = setting
        }
    }

    public var data = Action.logError
    public var truncation = Action.logError
    public var applyInsert = Action.logError
    public var applyUpdate = Action.logError
    public var applyDelete = Action.logError
    public var dataEscalation: Escalation?
    public var applyEscalation: Escalation?
    /// The flag that set every action (`--on-error stop`), named in a stop's message instead of the task setting.
    public var flag: String?

    public init() {}

    /// Every kind the same (`--on-error`).
    public init(uniform action: Action, flag: String) {
        (data, truncation, applyInsert, applyUpdate, applyDelete) = (action, action, action, action, action)
        self.flag = flag
    }

    public func action(for kind: Kind) -> Action {
        switch kind {
        case .data: data
        case .truncation: truncation
        case .apply(.delete): applyDelete
        case .apply(.update): applyUpdate
        case .apply: applyInsert
        }
    }

    func escalation(for kind: Kind) -> Escalation? {
        kind.isApply ? applyEscalation : dataEscalation
    }

    /// The setting behind `kind`'s action, for messages.
    func setting(for kind: Kind) -> String {
        if let flag { return flag }
        return switch kind {
        case .data: "ErrorBehavior.DataErrorPolicy"
        case .truncation: "ErrorBehavior.DataTruncationErrorPolicy"
        case .apply(.delete): "ErrorBehavior.ApplyErrorDeletePolicy"
        case .apply(.update): "ErrorBehavior.ApplyErrorUpdatePolicy"
        case .apply: "ErrorBehavior.ApplyErrorInsertPolicy"
        }
    }
}
