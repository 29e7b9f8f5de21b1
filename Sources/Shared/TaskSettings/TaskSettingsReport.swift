/// What a command did with each setting of a task settings file, printed once at start-up: nothing is ignored
/// silently.
public struct TaskSettingsReport: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        /// Taken, as this Ferry setting (e.g. `--snapshot-workers 8`).
        case applied(String)
        /// A flag given on the command line wins over the file.
        case overridden(flag: String)
        /// The other command takes it.
        case otherCommand(String)
        /// No Ferry meaning, and why.
        case ignored(String)
    }

    public struct Entry: Sendable, Hashable {
        public var path: String
        public var value: String
        public var outcome: Outcome
    }

    public let command: String
    public private(set) var entries: [Entry] = []
    public private(set) var warnings: [String] = []

    /// - Parameter command: `capture`, `apply` or `validate`.
    public init(command: String, file: TaskSettingsFile) {
        self.command = command
        warnings = file.unknownNames.map { name in
            "unknown task setting \(name.path) (ignored)" + (name.nearest.map { "; did you mean \($0)?" } ?? "")
        }
    }

    public mutating func note(_ path: String, _ value: JSONValue, _ outcome: Outcome) {
        entries.append(Entry(path: path, value: TaskSettingsFile.describe(value), outcome: outcome))
    }

    /// Notes every setting of `file` not noted yet: another command's, or ignored with the catalogue's reason.
    public mutating func noteTheRest(of file: TaskSettingsFile, otherCommands: [(name: String, takes: Set<String>)]) {
        let noted = Set(entries.map(\.path))
        for (path, value) in file.settings where !noted.contains(path) {
            note(
                path, value,
                otherCommands.first { $0.takes.contains(path) }.map { .otherCommand($0.name) }
                    ?? .ignored(TaskSettingsCatalogue.reasonIgnored(path)))
        }
    }

    /// The start-up log block: one line per setting, grouped applied / overridden / other command / ignored, then
    /// the unknown names.
    public var text: String {
        func lines(_ title: String, _ matching: (Outcome) -> String?) -> [String] {
            let matched = entries.compactMap { entry in matching(entry.outcome).map { "    \(entry.path) = \(entry.value)\($0)" } }
            return matched.isEmpty ? [] : ["  \(title):"] + matched
        }
        var block = ["task settings for ferry \(command):"]
        block += lines("applied") { if case .applied(let what) = $0 { " -> \(what)" } else { nil } }
        block += lines("overridden by the command line") { if case .overridden(let flag) = $0 { " (\(flag) given)" } else { nil } }
        block += lines("left to another command") { if case .otherCommand(let other) = $0 { " (ferry \(other))" } else { nil } }
        block += lines("ignored") { if case .ignored(let why) = $0 { ": \(why)" } else { nil } }
        if !warnings.isEmpty { block += ["  warnings:"] + warnings.map { "    \($0)" } }
        return block.joined(separator: "\n")
    }
}
