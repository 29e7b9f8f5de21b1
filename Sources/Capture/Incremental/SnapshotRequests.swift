import Logging
import Shared

/// Turns the `ferry snapshot` requests the stream meets into incremental loads: for each named table this capture
/// captures, a `loading` state message (written by the stream in the request's place, so the slot moves past the
/// request only once it is durable, and a restart resumes the load) and a load queued for the loader. Tables this
/// capture does not capture are logged and skipped.
public struct SnapshotRequests: Sendable {
    var topicPrefix: String
    var tables: [QualifiedTableName: SourceTable]
    var generation: Int64
    var queue: IncrementalLoadQueue
    var stateStore: SnapshotStateStore
    var logger: Logger

    /// The state messages to write for `signal`; queues its loads.
    func accept(_ signal: SnapshotSignal) -> [KafkaOutgoingMessage] {
        guard signal.topicPrefix == topicPrefix else { return [] }
        var messages: [KafkaOutgoingMessage] = []
        for name in signal.tables {
            guard let table = tables[name] else {
                logger.warning(
                    "ferry snapshot named a table this capture does not capture; skipped (add it to --tables and restart)",
                    metadata: ["table": "\(name)"])
                continue
            }
            let progress = IncrementalProgress(filter: signal.filter, generation: generation)
            logger.info("ferry snapshot requested", metadata: ["table": "\(name)", "where": "\(signal.filter ?? "")"])
            messages.append(stateStore.loadingMessage(table: name.description, progress))
            queue.add(IncrementalLoad(table: table, progress: progress))
        }
        return messages
    }
}
