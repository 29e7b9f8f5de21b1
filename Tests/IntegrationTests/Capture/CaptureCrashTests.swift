import Foundation
import Shared
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("ferry capture survives kill -9, against the local stack")
struct CaptureCrashTests {
    @Test func killedDuringSnapshotAndStreamingLosesNothing() async throws {
        try await TestStack.withDatabase("crash") { url in
            let db = try await PostgresConnection.connect(url)
            let capture = try await AccountsCapture(url: url, name: "crash", arguments: ["--partitions", "3"])

            // A writer keeps committing: each transaction bumps `version` of a few rows and inserts/deletes one.
            let written = WrittenVersions()
            let writer = AccountsCapture.writer(url: url, pause: .milliseconds(5)) { round in
                """
                INSERT INTO accounts VALUES (\(100000 + round), \(round), 'new');
                DELETE FROM accounts WHERE id = \(100000 + round - 5);
                """
            } recorded: { ids, version in
                written.record(ids: ids, version: version)
            }

            // Kill it at random moments: the first kills land in the snapshot, later ones while streaming.
            for delay in [0.4, 0.9, 1.5, 2.5, 1.0] {
                let run = try capture.start()
                try await Task.sleep(for: .milliseconds(Int(delay * 1000 * Double.random(in: 0.7...1.3))))
                run.signal(SIGKILL)
                _ = try await run.wait()
            }
            let endpoint = OperationsEndpoint()
            let final = try capture.start(endpoint.arguments)
            let httpPort = try await endpoint.port(of: final)
            try await Task.sleep(for: .seconds(2))
            writer.cancel()
            _ = try? await writer.value

            let expected = try await tableRows(db, schema: "public", table: "accounts", keyColumns: ["id"])
            let topic = capture.topic
            var streamed: [JSONObject: [RecordVersion]] = [:]
            var seenValues: [JSONObject: Set<JSONValue>] = [:]
            var snapshotValue: [JSONObject: Int] = [:]
            let folds = try await TopicFold.read(topics: [topic], brokers: try TestStack.brokers, timeout: .seconds(90)) {
                $0[topic]?.table == expected
            } observe: { record in
                guard let key = record.key, let version = record.after?["version"] else { return }
                seenValues[key, default: []].insert(version)
                if record.op == .read, case .number(let text) = version, let value = Int(text) {
                    snapshotValue[key] = max(snapshotValue[key] ?? -1, value)
                } else if record.op != .read {
                    streamed[key, default: []].append(record.version)
                }
            }
            let fold = try #require(folds[topic])
            #expect(difference(expected: expected, actual: fold.table) == nil)
            // Each key's last message is its latest version, so the topic compacted still holds the table.
            #expect(difference(expected: expected, actual: fold.compactedTable) == nil)

            // No committed change is missing: each version the writer set was streamed, unless a snapshot row
            // read after it already carries it (or a later one).
            var missing: [String] = []
            for (id, versions) in written.all {
                let key: JSONObject = ["id": .integer(id)]
                for version in versions where !(seenValues[key]?.contains(.integer(version)) ?? false) {
                    if (snapshotValue[key] ?? -1) < version { missing.append("\(id)@\(version)") }
                }
            }
            #expect(missing.isEmpty, "changes never captured: \(missing.prefix(10))")
            // Order per key is kept: re-sent records repeat an earlier stretch, but first arrivals only grow.
            var outOfOrder = 0
            for versions in streamed.values {
                var seen = Set<RecordVersion>()
                var last: RecordVersion?
                for version in versions where seen.insert(version).inserted {
                    if let last, version < last { outOfOrder += 1 }
                    last = version
                }
            }
            #expect(outOfOrder == 0)

            // The operations endpoint of the running capture: healthy, every table loaded, counters in Prometheus.
            try await Task.sleep(for: .seconds(2))  // one metrics refresh
            let health = try await HTTPTestConnection.send(.GET, "/health", port: httpPort)
            #expect(health.status == .ok && health.body == #"{"status":"ok"}"#)
            let status = try await HTTPTestConnection.send(.GET, "/status", port: httpPort)
            let document = try JSONParser.parse(status.body)
            guard case .object(let fields) = document else { throw TestStack.Missing(variable: "a /status object") }
            #expect(fields["full_load_progress_percent"] == .number("100.0"))
            #expect(fields["tables_loaded"] == .integer(1))
            #expect(fields["slot"] == .string("ferry_\(capture.prefix)"))
            #expect(fields["acknowledged_lsn"].map { if case .string(let lsn) = $0 { LSN(lsn) != nil } else { false } } == true)
            let metrics = try await HTTPTestConnection.send(.GET, "/metrics", port: httpPort)
            #expect(metrics.body.contains("ferry_capture_records_total{op=\"u\"}"))
            #expect(metrics.body.contains("ferry_capture_acknowledged_lsn"))

            final.signal(SIGTERM)
            #expect(try await final.wait() == 0)
            let output = final.output
            #expect(!output.contains("ferry-local-password"))
        }
    }
}

/// The versions the writer committed, per row id.
private final class WrittenVersions: Sendable {
    private let versions = Mutex<[Int: [Int]]>([:])

    func record(ids: [Int], version: Int) {
        versions.withLock { versions in for id in ids { versions[id, default: []].append(version) } }
    }

    var all: [Int: [Int]] { versions.withLock { $0 } }
}
