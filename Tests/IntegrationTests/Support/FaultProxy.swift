import Foundation
import Testing

/// scripts/fault-proxy.py in front of the stack's DynamoDB endpoint (see the script for the faults it injects), or,
/// with `capacity`, as a table provisioned with that many write capacity units per second.
struct FaultProxy {
    let process: ChildProcess
    /// Where the proxy listens on 127.0.0.1 (it picks a free port and prints it).
    let port: Int

    /// - Parameter arguments: more of the script's options (`--sts-faults N`, `--sts-deny`).
    static func start(
        slowSeconds: Double = 0.5, capacity: Double? = nil, logPath: String, arguments: [String] = []
    ) async throws -> FaultProxy {
        let process = try ChildProcess(
            [
                "python3", repositoryRoot.appendingPathComponent("scripts/fault-proxy.py").path,
                "--upstream", try TestStack.variable("AWS_ENDPOINT_URL_DYNAMODB"), "--slow-seconds", "\(slowSeconds)",
            ] + (capacity.map { ["--capacity", "\($0)"] } ?? []) + arguments,
            logPath: logPath)
        let deadline = ContinuousClock.Instant.deadline(in: .seconds(30))
        while ContinuousClock.now < deadline {
            if let line = process.output.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }),
                let port = line.split(separator: ":").last.flatMap({ Int($0) })
            {
                return FaultProxy(process: process, port: port)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the fault proxy did not start:\n\(process.output)")
        throw CancellationError()
    }
}
