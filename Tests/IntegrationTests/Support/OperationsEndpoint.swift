import Foundation
import Testing

/// The operations endpoint of a `ferry capture|apply` child, on a port the system picks when it binds: the child
/// gets `--http 127.0.0.1:0 --http-address-file FILE` and the test reads the bound address from FILE. A port
/// picked before the child binds could be taken by any other socket meanwhile (issue: tests racing for ports).
struct OperationsEndpoint {
    let addressFile: String

    init() {
        addressFile = FileManager.default.temporaryDirectory.appendingPathComponent(TestStack.uniqueName("http") + ".address").path
    }

    /// The arguments that make the child serve its endpoint and report where.
    var arguments: [String] { ["--http", "127.0.0.1:0", "--http-address-file", addressFile] }

    /// The port `child` bound, once it wrote its address file.
    func port(of child: ChildProcess, within patience: Duration = .seconds(60)) async throws -> Int {
        let deadline = ContinuousClock.Instant.deadline(in: patience)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: addressFile, encoding: .utf8),
                let port = text.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
            {
                return port
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("no address in \(addressFile) after \(patience); the child's output:\n\(child.output.suffix(3000))")
        throw CancellationError()
    }
}
