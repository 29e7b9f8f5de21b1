import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`, its output appended to a log file. (Foundation's `Process` waits
/// on descriptors that daemons it starts inherit, e.g. `pg_ctl start`, so it can hang; `waitpid` waits for the child alone.)
final class ChildProcess: Sendable {
    struct Failed: Error, CustomStringConvertible {
        var command: [String]
        var status: Int32
        var output: String
        var description: String { "\(command.joined(separator: " ")) exited with \(status):\n\(output)" }
    }

    let pid: pid_t
    let command: [String]
    let logPath: String

    /// - Parameter errorPath: where standard error goes when it must not mix with the output; the log by default.
    init(_ command: [String], logPath: String, errorPath: String? = nil, environment: [String: String] = [:]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o666)
        if let errorPath {
            posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_APPEND, 0o666)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        // Nothing else of this process: the tests' sockets are not opened close-on-exec, and a child holding a
        // copy keeps the connection (or listener) alive after the test closed it — a peer then waits for an end
        // of stream that never comes.
        guard let closeFrom else { throw POSIXError(.ENOSYS) }
        _ = closeFrom(&actions, 3)
        let variables = ProcessInfo.processInfo.environment.merging(environment) { _, given in given }
        let argv = command.map { strdup($0) } + [nil]
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        // The spawning thread may be a runtime thread with signals blocked; the child must get them (SIGTERM).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        var allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, command[0], &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .ENOEXEC) }
        self.pid = pid
        self.command = command
        self.logPath = logPath
    }

    /// A test that failed before stopping its child must not leave it running (it would retry forever).
    deinit {
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == 0 {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
        }
    }

    func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    struct TimedOut: Error, CustomStringConvertible {
        var what: String
        var patience: Duration
        var description: String { "no \(what) within \(patience)" }
    }

    /// Waits for the child to exit and returns its status (128 + signal number when a signal ended it). With
    /// `patience`, a child still running after it is killed and `TimedOut` thrown (a service retrying for ever
    /// fails the test instead of hanging it).
    func wait(within patience: Duration? = nil) async throws -> Int32 {
        var status: Int32 = 0
        let deadline = patience.map { ContinuousClock.now.advanced(by: $0) }
        while waitpid(pid, &status, WNOHANG) == 0 {
            if let deadline, let patience, ContinuousClock.now > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                throw TimedOut(what: "exit of \(command.dropFirst().prefix(1).joined())", patience: patience)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // WIFEXITED / WEXITSTATUS are macros Swift does not import.
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    var output: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Runs `command` to completion; throws with its output unless it exits 0.
    static func run(_ command: [String], logPath: String) async throws {
        let process = try ChildProcess(command, logPath: logPath)
        let status = try await process.wait()
        guard status == 0 else { throw Failed(command: command, status: status, output: process.output) }
    }
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Swift's Glibc module does not import.
private let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? =
    dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }

/// The `ferry` executable this test run built (`FERRY_BIN` overrides).
func ferryExecutable() throws -> String {
    if let path = ProcessInfo.processInfo.environment["FERRY_BIN"] { return path }
    let path = repositoryRoot.appendingPathComponent(".build/debug/ferry").path
    guard FileManager.default.isExecutableFile(atPath: path) else {
        throw TestStack.Missing(variable: "FERRY_BIN (no executable at \(path); run `swift build` first)")
    }
    return path
}

/// The checkout these tests belong to (for `.build/` and `scripts/`).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
