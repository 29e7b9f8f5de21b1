import Foundation

/// One run of the `ferry` executable to its end: exit status, standard output and standard error apart.
struct FerryRun {
    var status: Int32
    var output: String
    var errors: String
    var lines: [Substring] { output.split(separator: "\n") }

    /// Starts `ferry <arguments>` with its output and errors in files under `directory`.
    static func start(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:]
    ) throws -> (child: ChildProcess, errorPath: String) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let name = TestStack.uniqueName(arguments.first ?? "ferry")
        let errorPath = directory.appendingPathComponent("\(name).err").path
        let child = try ChildProcess(
            [try ferryExecutable()] + arguments, logPath: directory.appendingPathComponent("\(name).out").path,
            errorPath: errorPath, environment: environment)
        return (child, errorPath)
    }

    /// Runs `ferry <arguments>` to its end (it must end within the test's patience).
    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) async throws -> FerryRun {
        let process = try start(arguments, in: directory, environment: environment)
        let status = try await process.child.wait()
        return FerryRun(
            status: status, output: process.child.output,
            errors: (try? String(contentsOfFile: process.errorPath, encoding: .utf8)) ?? "")
    }
}
