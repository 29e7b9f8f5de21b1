import Apply
import Foundation
import Shared
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Dead letters Kafka cannot take. tansu honours neither a topic's `max.message.bytes` nor compaction's rule against
/// keyless messages, so the DLQ refuses here the way a producer does: a dead letter over its `message.max.bytes`
/// (apply's `-X message.max.bytes` small, the record bigger — as when the table topic allows larger records than
/// apply's clients).
@Suite("Apply dead letters")
struct ApplyDeadLetterTests {
    /// A record as large as the clients take is dead-lettered: the DLQ's producer has room for the headers.
    @Test func aRecordAtTheSizeLimitIsDeadLetteredWithItsHeaders() async throws {
        let topic = try await ApplyTestTopic("dlqfit")
        defer { Task { await topic.dropTable() } }
        let group = TestStack.uniqueName("g")
        var options = try topic.options(group: group)
        options.kafka["message.max.bytes"] = "20000"
        // Not JSON, so dead-lettered; 19,900 bytes: within the 20,000 a table topic's records may have.
        let malformed = [UInt8](repeating: UInt8(ascii: "x"), count: 19_900)
        try await topic.produceRaw([(key: Array(#"{"id":1}"#.utf8), value: malformed)])
        try await topic.produce([topic.record(.create, id: 2, after: row(2, name: "after"), lsn: 200)])
        let apply = topic.startApply(options)
        defer { apply.task.cancel() }

        #expect(try await topic.waitForCommit(group: group, count: 2))
        #expect(apply.service.statistics.tables["public.\(topic.sourceTable)"]?.deadLettered == 1)
        #expect(try await topic.items { !$0.isEmpty }.map(ApplyTestTopic.id(of:)) == [2])
    }

    /// A dead letter the DLQ refuses stops apply (non-zero) with one message naming the record, the DLQ and the
    /// fix, and the group's offset stays before the record: no loop, nothing committed past it.
    @Test func aDeadLetterTheDLQRefusesStopsApplyBeforeTheRecord() async throws {
        let topic = try await ApplyTestTopic("dlqrefuse")
        defer { Task { await topic.dropTable() } }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(topic.prefix)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let mappingsPath = directory.appendingPathComponent("table-mappings.json").path
        try Data(topic.mappingsDocument.utf8).write(to: URL(fileURLWithPath: mappingsPath))
        let group = TestStack.uniqueName("g")
        try await topic.produce([topic.record(.create, id: 1, after: row(1, name: "first"), lsn: 100)])
        let apply = try FerryRun.start(
            [
                "apply", "--brokers", try TestStack.brokers, "--prefix", topic.prefix, "--group", group,
                "--table-mappings", mappingsPath, "--target-table-prep", "CREATE_IF_MISSING",
                "-X", "message.max.bytes=20000", "-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=500",
            ], in: directory)
        #expect(try await topic.waitForCommit(group: group, count: 1))

        // Offset 1: not JSON and 40,000 bytes, more than the 28,192 the dead-letter producer takes.
        let malformed = [UInt8](repeating: UInt8(ascii: "x"), count: 40_000)
        try await topic.produceRaw([(key: Array(#"{"id":2}"#.utf8), value: malformed)])
        try await topic.produce([topic.record(.create, id: 3, after: row(3, name: "after"), lsn: 300)])

        let status = try await exitStatus(of: apply.child, within: .seconds(60))
        let errors = (try? String(contentsOfFile: apply.errorPath, encoding: .utf8)) ?? ""
        #expect(status == 1, "apply still running (nil) or exited \(status.map(String.init) ?? "nil"); log:\n\(apply.child.output.suffix(3000))")
        #expect(errors.contains("record \(topic.topic)[0]@1 cannot be applied"), "\(errors)")
        #expect(errors.contains("cannot be written to \(topic.prefix).ferry.dlq"), "\(errors)")
        #expect(errors.contains("-X message.max.bytes=40"), "\(errors)")
        let admin = try KafkaAdmin(configuration: try TestStack.kafkaConfiguration())
        let committed = try await admin.committedOffsets(
            group: group, partitions: [TopicPartition(topic: topic.topic, partition: 0)])
        #expect(committed.map(\.offset) == [1])
    }

    /// The child's exit status, or nil when it still runs after `timeout` (it is killed when released).
    private func exitStatus(of child: ChildProcess, within timeout: Duration) async throws -> Int32? {
        try await withThrowingTaskGroup(of: Int32?.self) { group in
            group.addTask { try await child.wait() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }
}
