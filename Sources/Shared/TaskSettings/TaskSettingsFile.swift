/// An AWS DMS task settings file (`--task-settings`), read as DMS writes it: sections of settings
/// (`{"FullLoadSettings": {"MaxFullLoadSubTasks": 8, ...}, ...}`). Pure: the commands decide what each setting
/// means for them (`TaskSettingsReport` says what they did with every one).
public struct TaskSettingsFile: Sendable {
    /// `Section.Key` (or a top-level `Key`) and its value, in file order.
    public let settings: [(path: String, value: JSONValue)]
    /// Names DMS does not know, each with the nearest known one (or nil when none is close).
    public let unknownNames: [(path: String, nearest: String?)]

    public static func parse(_ bytes: [UInt8]) throws(TaskSettingsError) -> TaskSettingsFile {
        let document: JSONValue
        do { document = try JSONParser.parse(bytes) } catch { throw .notJSON("\(error)") }
        guard case .object(let root) = document else { throw .notJSON("the document is not a JSON object") }
        var settings: [(String, JSONValue)] = []
        var unknown: [(String, String?)] = []
        for section in root.fields {
            guard let keys = TaskSettingsCatalogue.sections[section.name] else {
                unknown.append((section.name, Self.nearest(section.name, among: TaskSettingsCatalogue.sections.keys)))
                continue
            }
            // Sections Ferry has no use for are taken whole; their keys are not checked.
            guard !keys.isEmpty, case .object(let values) = section.value else {
                settings.append((section.name, section.value))
                continue
            }
            for field in values.fields {
                if keys.contains(field.name) {
                    settings.append(("\(section.name).\(field.name)", field.value))
                } else {
                    unknown.append(("\(section.name).\(field.name)", Self.nearest(field.name, among: keys)))
                }
            }
        }
        return TaskSettingsFile(settings: settings, unknownNames: unknown)
    }

    public init(settings: [(path: String, value: JSONValue)], unknownNames: [(path: String, nearest: String?)] = []) {
        self.settings = settings
        self.unknownNames = unknownNames
    }

    public func value(_ path: String) -> JSONValue? {
        settings.first { $0.path == path }?.value
    }

    public func string(_ path: String) throws(TaskSettingsError) -> String? {
        switch value(path) {
        case nil, .null?: nil
        case .string(let text)?: text
        case let other?: throw .wrongType(path: path, expected: "a string", found: Self.describe(other))
        }
    }

    public func integer(_ path: String) throws(TaskSettingsError) -> Int? {
        switch value(path) {
        case nil, .null?: return nil
        case .number(let text)?:
            guard let number = Int(text) else { throw .wrongType(path: path, expected: "an integer", found: text) }
            return number
        case let other?: throw .wrongType(path: path, expected: "an integer", found: Self.describe(other))
        }
    }

    public func positiveInteger(_ path: String) throws(TaskSettingsError) -> Int? {
        guard let number = try integer(path) else { return nil }
        guard number > 0 else { throw .wrongType(path: path, expected: "a positive integer", found: String(number)) }
        return number
    }

    public func bool(_ path: String) throws(TaskSettingsError) -> Bool? {
        switch value(path) {
        case nil, .null?: nil
        case .bool(let flag)?: flag
        case let other?: throw .wrongType(path: path, expected: "true or false", found: Self.describe(other))
        }
    }

    /// One of `choices`, as DMS spells them.
    public func choice(_ path: String, of choices: [String]) throws(TaskSettingsError) -> String? {
        guard let text = try string(path) else { return nil }
        guard choices.contains(text) else { throw .invalidChoice(path: path, value: text, choices: choices) }
        return text
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): "\(flag)"
        case .number(let text): text
        case .string(let text): "\"\(text)\""
        case .array: "[...]"
        case .object: "{...}"
        }
    }

    private static func nearest(_ name: String, among known: some Sequence<String>) -> String? {
        let wanted = Array(name.lowercased())
        let allowance = max(2, wanted.count / 3)
        return known.map { ($0, EditDistance.between(Array($0.lowercased()), wanted, giveUpAbove: allowance)) }
            .filter { $0.1 <= allowance }.min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }
}

public enum TaskSettingsError: Error, Hashable, CustomStringConvertible {
    case notJSON(String)
    case wrongType(path: String, expected: String, found: String)
    case invalidChoice(path: String, value: String, choices: [String])
    /// A value DMS accepts that Ferry cannot honour, with what to do instead.
    case unsupported(path: String, value: String, fix: String)

    public var description: String {
        switch self {
        case .notJSON(let reason): "the task settings are not a JSON object: \(reason)"
        case .wrongType(let path, let expected, let found): "task setting \(path) must be \(expected), not \(found)"
        case .invalidChoice(let path, let value, let choices):
            "task setting \(path) is \"\(value)\"; it must be one of \(choices.joined(separator: ", "))"
        case .unsupported(let path, let value, let fix): "task setting \(path) = \(value) is not supported: \(fix)"
        }
    }
}
