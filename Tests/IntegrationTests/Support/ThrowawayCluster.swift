import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A second PostgreSQL cluster in a temporary directory, for settings the shared stack must not change.
/// initdb and pg_ctl run as the postgres user when the tests run as root (PostgreSQL refuses root).
struct ThrowawayCluster {
    let directory: URL
    let url: String
    private let binaries: String
    /// The server's `-c` settings, for every start.
    private let serverSettings: String

    /// - Parameter settings: more `-c name=value` server settings.
    static func start(walLevel: String = "logical", settings: String = "") async throws -> ThrowawayCluster {
        let binaries = try TestStack.variable("FERRY_TEST_PG_BIN")
        // In /tmp, short: a unix socket's path has at most 107 bytes (TMPDIR may be long).
        let directory = URL(fileURLWithPath: "/tmp").appendingPathComponent(TestStack.uniqueName("ferry_cluster"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        // A unix socket in its own directory, no TCP: no port to race for.
        let cluster = ThrowawayCluster(
            directory: directory, url: "postgresql://ferry@/postgres?host=\(directory.path)", binaries: binaries,
            serverSettings: "-c listen_addresses='' -c wal_level=\(walLevel) "
                + "-c unix_socket_directories=\(directory.path) -c fsync=off -c shared_buffers=16MB \(settings)")
        do {
            if getuid() == 0 { try await cluster.run(["chown", "postgres:", directory.path]) }
            let data = directory.appendingPathComponent("data").path
            try await cluster.runAsOwner([
                "\(binaries)/initdb", "-D", data, "-U", "ferry", "--auth=trust", "--no-sync", "--no-instructions",
                "-E", "UTF8", "--locale=C.UTF-8",
            ])
            try await cluster.resume()
            return cluster
        } catch {
            await cluster.stop()
            throw error
        }
    }

    /// Stops the server and keeps its files: the source goes away under its clients until `resume`.
    func pause() async throws {
        try await runAsOwner(["\(binaries)/pg_ctl", "-D", directory.appendingPathComponent("data").path, "-m", "fast", "-w", "stop"])
    }

    /// Starts the server (again).
    func resume() async throws {
        try await runAsOwner([
            "\(binaries)/pg_ctl", "-D", directory.appendingPathComponent("data").path, "-l",
            directory.appendingPathComponent("log").path, "-w", "-t", "30", "start", "-o", serverSettings,
        ])
    }

    /// Stops the server (if it runs) and deletes its files; never throws, so it can run on every path.
    func stop() async {
        let data = directory.appendingPathComponent("data").path
        if FileManager.default.fileExists(atPath: data + "/postmaster.pid") {
            try? await runAsOwner(["\(binaries)/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"])
        }
        try? FileManager.default.removeItem(at: directory)
    }

    private func runAsOwner(_ arguments: [String]) async throws {
        try await run(getuid() == 0 ? ["runuser", "-u", "postgres", "--"] + arguments : arguments)
    }

    private func run(_ arguments: [String]) async throws {
        try await ChildProcess.run(arguments, logPath: directory.appendingPathComponent("commands.log").path)
    }
}
