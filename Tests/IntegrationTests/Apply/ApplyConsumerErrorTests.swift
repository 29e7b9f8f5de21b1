import Testing

/// A consumer error a retry cannot change stops apply; before, `poll` only logged it and apply ran on with
/// `/health` healthy, its partitions unread. The local broker has no ACLs (no topic or group authorization
/// failure), so the end-to-end case is the permanent consumer error it can produce: a new group with
/// `auto.offset.reset=error`, which librdkafka answers with `_AUTO_OFFSET_RESET` for every partition (the same for a
/// committed offset retention has removed). The denied cases are the same path, checked by code in
/// `KafkaErrorTests`.
@Suite("Apply stops on a consumer error that cannot heal")
struct ApplyConsumerErrorTests {
    @Test func noOffsetToStartFromWithAutoOffsetResetErrorStopsApply() async throws {
        let run = try await ApplyRun("offset_reset_error")
        defer { Task { await run.topic.dropTable() } }
        // The fix, in the second run: a starting point (the default, the earliest offset).
        let output = try await run.stopsWritingNothingThenResumes(kafka: ["auto.offset.reset": "error"])
        #expect(output.contains("_AUTO_OFFSET_RESET") && output.contains("\(run.topic.topic)[0]"), "\(output.suffix(3000))")
    }
}
