import Foundation
import Shared
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM and SIGINT stop `ferry capture` cleanly whenever they come — during its checks, while the slot and the
/// snapshot are set up, mid-load, while streaming: exit status 0, and only what is durable acknowledged, so the next
/// run completes the topic to equal the table.
@Suite("ferry capture stops cleanly on a signal, against the local stack")
struct CaptureSignalTests {
    @Test func aSignalAtAnyMomentExitsZeroAndTheNextRunCompletesTheTopic() async throws {
        try await TestStack.withDatabase("signal") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query(
                "CREATE TABLE items (id int PRIMARY KEY, name text); INSERT INTO items SELECT g, 'n' || g FROM generate_series(1, 3000) g")
            let prefix = TestStack.uniqueName("signal")
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix).log").path
            let command = [
                try ferryExecutable(), "capture", "--source", url, "--brokers", try TestStack.brokers, "--prefix", prefix,
                "--tables", "public.items",
            ]
            // From its first moments (the checks) to well into streaming; each run resumes what the one before left.
            // Counted from the operations endpoint's address file, which is written once the signal handlers are set
            // (before, a signal ends the process by its default action, as for any program).
            for (round, delay) in [20, 100, 200, 350, 500, 700, 1000, 1500, 2500].enumerated() {
                let endpoint = OperationsEndpoint()
                let capture = try ChildProcess(command + endpoint.arguments, logPath: log)
                _ = try await endpoint.port(of: capture)
                try await Task.sleep(for: .milliseconds(delay))
                capture.signal(round.isMultiple(of: 2) ? SIGTERM : SIGINT)
                let status = try await capture.wait(within: .seconds(60))
                #expect(status == 0, "signalled after \(delay) ms: \(capture.output.suffix(3000))")
                try await db.query("UPDATE items SET name = 'round \(round)' WHERE id = \(round + 1)")
            }
            let last = try ChildProcess(command, logPath: log)
            let expected = try await tableRows(db, schema: "public", table: "items", keyColumns: ["id"])
            let topic = "\(prefix).public.items"
            let folds = try await TopicFold.read(topics: [topic], brokers: try TestStack.brokers, timeout: .seconds(60)) {
                $0[topic]?.table == expected
            }
            #expect(difference(expected: expected, actual: folds[topic]?.table ?? [:]) == nil, "\(last.output.suffix(3000))")
            last.signal(SIGTERM)
            #expect(try await last.wait(within: .seconds(60)) == 0, "\(last.output.suffix(3000))")
        }
    }
}
