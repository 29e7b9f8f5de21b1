import Foundation
import Shared
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A publication shared with other tools publishes tables capture does not select: their changes are dropped
/// (counted per table, logged once per table), never written under topics of their own.
@Suite("Capture from a shared publication")
struct CaptureSharedPublicationTests {
    @Test func changesOfTablesOutsideTheSelectionAreDroppedAndCounted() async throws {
        try await TestStack.withDatabase("sharedpub") { url in
            let db = try await PostgresConnection.connect(url)
            let prefix = TestStack.uniqueName("sharedpub")
            try await db.query(
                """
                CREATE TABLE items (id int PRIMARY KEY, name text); CREATE TABLE other (id int PRIMARY KEY, note text);
                INSERT INTO items VALUES (1, 'a');
                CREATE PUBLICATION "ferry_\(prefix)" FOR TABLE items, other;
                """)
            let (capture, errorPath, httpPort) = try await startStreamingItemsCapture(url: url, prefix: prefix)

            try await db.query("INSERT INTO other VALUES (1, 'x'), (2, 'y')")
            try await db.query("UPDATE other SET note = 'z' WHERE id = 1; INSERT INTO items VALUES (2, 'b')")
            try await db.query("DELETE FROM other WHERE id = 2")
            try await db.query("INSERT INTO items VALUES (3, 'c')")
            let itemsTopic = "\(prefix).public.items"
            let folds = try await TopicFold.read(topics: [itemsTopic], brokers: try TestStack.brokers) {
                $0[itemsTopic]?.table.count == 3
            }
            #expect(folds[itemsTopic]?.table.count == 3, "\(capture.output.suffix(2000))")

            let admin = try KafkaAdmin(configuration: try TestStack.kafkaConfiguration())
            let topics = try await admin.topics().map(\.name).filter { $0.hasPrefix(prefix + ".") }
            #expect(!topics.contains("\(prefix).public.other"), "\(topics)")
            let metrics = try await HTTPTestConnection.send(.GET, "/metrics", port: httpPort).body
            let dropped = metrics.split(separator: "\n").first {
                $0.hasPrefix("ferry_capture_unselected_changes_total{") && $0.contains(#"table="public.other""#)
            }
            #expect(dropped?.split(separator: " ").last == "4", "\(metrics)")

            capture.signal(SIGTERM)
            #expect(try await capture.wait(within: .seconds(60)) == 0)
            let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            let warnings = errors.split(separator: "\n").filter {
                $0.contains("the selection rules leave out") && $0.contains("public.other")
            }
            #expect(warnings.count == 1, "\(errors.suffix(3000))")
        }
    }
}
