import Foundation

/// The `ferry` command line as the binary describes itself (`ferry --experimental-dump-help`, swift-argument-parser's
/// JSON): per subcommand, its options and flags, the values an enum option accepts, and the `FERRY_*` variables its
/// help names ("(or FERRY_BROKERS)"), which are the ones the command reads when a flag is not given.
struct FerryCommandLine {
    struct Argument {
        enum Kind: String { case option, flag, positional }
        var kind: Kind
        /// `--name` and `-n` spellings.
        var spellings: [String]
        /// For an enum option, what it accepts; nil for free text.
        var allowedValues: [String]?
    }

    struct Subcommand {
        var name: String
        var arguments: [Argument]
        /// Every `FERRY_*` name in the subcommand's help text.
        var environmentVariables: Set<String>

        func argument(spelled spelling: String) -> Argument? {
            arguments.first { $0.spellings.contains(spelling) }
        }

        var acceptsPositionals: Bool { arguments.contains { $0.kind == .positional } }
    }

    let subcommands: [String: Subcommand]

    /// Runs `<ferry> --experimental-dump-help` and reads its JSON.
    static func load(ferry: String) async throws -> FerryCommandLine {
        let json = try await runCapturingOutput([ferry, "--experimental-dump-help"])
        return try FerryCommandLine(dumpHelp: json)
    }

    init(dumpHelp: Data) throws {
        guard let root = try JSONSerialization.jsonObject(with: dumpHelp) as? [String: Any],
            let command = root["command"] as? [String: Any]
        else { throw Unreadable(what: "ferry --experimental-dump-help") }
        var subcommands: [String: Subcommand] = [:]
        for description in command["subcommands"] as? [[String: Any]] ?? [] {
            guard let name = description["commandName"] as? String else { continue }
            var helpText = [description["abstract"], description["discussion"]].compactMap { $0 as? String }
            var arguments: [Argument] = []
            for argument in description["arguments"] as? [[String: Any]] ?? [] {
                guard let kind = (argument["kind"] as? String).flatMap(Argument.Kind.init(rawValue:)) else { continue }
                let spellings = (argument["names"] as? [[String: Any]] ?? []).compactMap { name -> String? in
                    guard let text = name["name"] as? String else { return nil }
                    return name["kind"] as? String == "short" ? "-\(text)" : "--\(text)"
                }
                arguments.append(Argument(kind: kind, spellings: spellings, allowedValues: argument["allValues"] as? [String]))
                helpText += [argument["abstract"], argument["discussion"]].compactMap { $0 as? String }
            }
            subcommands[name] = Subcommand(
                name: name, arguments: arguments, environmentVariables: Self.ferryVariables(in: helpText.joined(separator: "\n")))
        }
        self.subcommands = subcommands
    }

    static func ferryVariables(in text: String) -> Set<String> {
        let pattern = try! NSRegularExpression(pattern: "FERRY_[A-Z0-9_]+")
        let range = NSRange(text.startIndex..., in: text)
        return Set(pattern.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } })
    }
}

struct Unreadable: Error, CustomStringConvertible {
    var what: String
    var description: String { "cannot read the output of \(what)" }
}

/// Runs a command to completion and returns its standard output (standard error goes to a side file).
func runCapturingOutput(_ command: [String]) async throws -> Data {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(TestStack.uniqueName("packaging"))
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let output = directory.appendingPathComponent("stdout").path
    let errors = directory.appendingPathComponent("stderr").path
    let process = try ChildProcess(command, logPath: output, errorPath: errors)
    let status = try await process.wait()
    guard status == 0 else {
        let message = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
        throw ChildProcess.Failed(command: command, status: status, output: message)
    }
    return try Data(contentsOf: URL(fileURLWithPath: output))
}
