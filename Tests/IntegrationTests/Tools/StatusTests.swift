import Apply
import Foundation
import Shared
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `ferry status` over a real pipeline: `ferry capture` and `ferry apply` processes load a table and a change,
/// and status reports it in DMS terms; a stopped apply makes it say so and exit 1.
@Suite("ferry status")
struct StatusTests {
    @Test func reportsTheFullLoadAndChangesOfARunningPipeline() async throws {
        try await TestStack.withDatabase("status") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query(
                "CREATE TABLE orders (id int PRIMARY KEY, name text); INSERT INTO orders SELECT g, 'o' || g FROM generate_series(1, 40) g")
            let pipeline = try await OrdersPipeline.start(source: url, name: "status")
            defer { Task { await pipeline.dropTarget() } }
            let (directory, capture, apply) = (pipeline.directory, pipeline.capture, pipeline.apply)
            let (capturePort, applyPort) = (pipeline.capturePort, pipeline.applyPort)
            let status = ["status", "--capture", "127.0.0.1:\(capturePort)", "--apply", "127.0.0.1:\(applyPort)"]

            _ = try await pipeline.items { $0.count == 40 }
            try await db.query("INSERT INTO orders VALUES (41, 'cdc')")
            let loaded = try await pipeline.items { $0.count == 41 }
            #expect(loaded.count == 41, "\(pipeline.output)")

            // The apply process's counters catch up with the table a moment after the writes.
            var report: JSONObject = [:]
            let deadline = ContinuousClock.Instant.deadline(in: .seconds(30))
            repeat {
                let run = try await FerryRun.run(status + ["--json"], in: directory)
                #expect(run.status == 0, "\(run.output)\(run.errors)")
                guard case .object(let document) = try JSONParser.parse(Array(run.output.utf8)) else { break }
                report = document
                if case .object(let tables)? = report["tables"], case .object(let orders)? = tables["public.orders"],
                    orders["Inserts"] == 41
                {
                    break
                }
                try await Task.sleep(for: .milliseconds(300))
            } while ContinuousClock.now < deadline
            #expect(report["healthy"] == true)
            #expect(report["FullLoadProgressPercent"] == .number("100.0"), "\(report)")
            #expect(report["TablesLoaded"] == 1 && report["TablesLoading"] == 0 && report["TablesQueued"] == 0)
            #expect(report["tables"] == [
                "public.orders": [
                    "state": "loaded", "FullLoadRows": 40, "SnapshotChunks": 0, "Inserts": 41, "Updates": 0, "Deletes": 0, "Noops": 0,
                    "DeadLettered": 0, "Ignored": 0,
                ],
            ])
            guard case .number(let latency)? = report["CDCLatencySourceMs"] else {
                Issue.record("no source latency: \(report)")
                return
            }
            #expect((Int(latency) ?? -1) >= 0)

            let screen = try await FerryRun.run(status, in: directory)
            #expect(screen.status == 0)
            #expect(screen.lines.contains("FullLoadProgressPercent  100.0"), "\(screen.output)")
            #expect(screen.lines.contains("TablesLoaded             1"), "\(screen.output)")
            #expect(
                screen.lines.contains { $0.split(separator: " ") == ["public.orders", "loaded", "40", "0", "41", "0", "0", "0", "0", "0"] },
                "\(screen.output)")

            apply.signal(SIGTERM)
            #expect(try await apply.wait() == 0)
            let withoutApply = try await FerryRun.run(status, in: directory)
            #expect(withoutApply.status == 1)
            #expect(withoutApply.output.contains("apply    127.0.0.1:\(applyPort)  unreachable"), "\(withoutApply.output)")
            capture.signal(SIGTERM)
            #expect(try await capture.wait() == 0)
        }
    }
}
