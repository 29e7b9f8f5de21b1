import Foundation
import Testing

/// docs/cli.md is the `ferry` command-line reference, generated from the binary's own help by
/// `scripts/cli-reference.sh`. This runs that script (the one generator) against the `ferry` this run built, into a
/// temporary file, and fails when the committed reference differs — an option added, renamed or re-described without
/// regenerating it. Needs no stack.
@Suite("Packaging: CLI reference")
struct CLIReferenceTests {
    static let reference = repositoryRoot.appendingPathComponent("docs/cli.md")
    static let script = repositoryRoot.appendingPathComponent("scripts/cli-reference.sh").path

    @Test func docsCLIReferenceMatchesTheBuiltBinary() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(TestStack.uniqueName("cli-reference"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let generated = directory.appendingPathComponent("cli.md")
        let log = directory.appendingPathComponent("cli-reference.log").path

        // A terminal width in the environment must not matter: the script fixes it.
        let process = try ChildProcess(
            ["bash", Self.script, generated.path], logPath: log,
            environment: ["FERRY_BIN": try ferryExecutable(), "COLUMNS": "37"])
        let status = try await process.wait()
        try #require(status == 0, "scripts/cli-reference.sh exited \(status):\n\(process.output)")

        let expected = try String(contentsOf: generated, encoding: .utf8)
        let committed = (try? String(contentsOf: Self.reference, encoding: .utf8)) ?? ""
        // A Bool, so the failure shows the message and the first differing line rather than both whole files.
        let isUpToDate = committed == expected
        #expect(
            isUpToDate,
            """
            docs/cli.md is out of date with `ferry --help` / `ferry help <subcommand>`: run `scripts/cli-reference.sh` \
            and commit docs/cli.md. First difference:
            \(Self.firstDifference(committed: committed, generated: expected))
            """)
    }

    /// The first line where the two texts part, with its number, for the failure message.
    static func firstDifference(committed: String, generated: String) -> String {
        let old = committed.split(separator: "\n", omittingEmptySubsequences: false)
        let new = generated.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(old.count, new.count) {
            let was = index < old.count ? String(old[index]) : "(end of file)"
            let now = index < new.count ? String(new[index]) : "(end of file)"
            if was != now { return "line \(index + 1):\n  docs/cli.md: \(was)\n  generated:   \(now)" }
        }
        return "(none)"
    }
}
