import Logging
import Shared

/// The source history capture continues, or the new generation it starts (docs/design.md, "Generations").
struct CaptureGeneration: Sendable {
    var number: Int64
    var state: SnapshotStateStore.State
    /// The history to remember once the slot exists (`recordHistory`); nil when the state topic has it already.
    var historyToRecord: SourceHistory?
}

extension CaptureService {
    /// Checks that the source still has the history the state topic remembers (`HistoryCheck`). When it does not,
    /// stops with `NewHistoryError` — or, with `--new-generation`, records the next generation *before* (re)creating
    /// the slot, so a crash in between is detected again on restart rather than continuing the old generation on a
    /// fresh slot. Returns the generation the records carry, and the history to remember once the slot exists.
    func continueHistory(
        tables: [SourceTable], catalog: PostgresConnection, replication: PostgresConnection,
        stateStore: SnapshotStateStore, publisher: ChangePublisher
    ) async throws -> CaptureGeneration {
        let identity = try await replication.identifySystem()
        let state = try await stateStore.read(configuration: options.kafka, logger: logger)
        try checkRecordFormat(remembered: state.history)
        if options.newGeneration, options.recordFormat == .debezium { throw Self.newGenerationInDebeziumFormat }
        let slotState = try await ReplicationSlot.state(of: options.slot, catalog: catalog)
        let current = state.history?.generation ?? 0
        let published = try await catalog.publishedTables(options.publication) ?? []
        let loaded = state.completedTables(inGeneration: current)
        let unpublished = tables.map(\.name).filter { loaded.contains($0.description) && !published.contains($0) }
        guard
            let cause = HistoryCheck.evaluate(
                remembered: state.history, hasCompletedSnapshots: !state.completed.isEmpty, current: identity,
                slot: options.slot, slotState: slotState, publication: options.publication,
                unpublished: unpublished.map(\.description))
        else {
            let history = SourceHistory(
                systemIdentifier: identity.systemIdentifier, timeline: identity.timeline, slot: options.slot,
                generation: current, recordFormat: options.recordFormat)
            return CaptureGeneration(number: current, state: state, historyToRecord: state.history == history ? nil : history)
        }
        guard options.newGeneration else { throw NewHistoryError(cause: cause) }
        guard options.snapshotMode != .never else {
            throw CaptureConfigurationError(
                description: "\(cause). --new-generation needs a snapshot of every table; drop --snapshot never")
        }
        let next = max(current, state.completed.values.max() ?? 0) + 1
        logger.warning(
            "source history ended; starting a new generation",
            metadata: ["cause": "\(cause)", "generation": "\(next)", "slot": "\(options.slot)"])
        try await publisher.sendDurably([
            stateStore.historyMessage(
                SourceHistory(
                    systemIdentifier: identity.systemIdentifier, timeline: identity.timeline, slot: options.slot,
                    generation: next, recordFormat: options.recordFormat))
        ])
        // An invalidated slot cannot stream again; a usable one on another system or timeline holds a position in
        // a history the new generation does not continue. Either way the new generation starts from a new slot.
        if slotState != .missing { try await ReplicationSlot.drop(options.slot, catalog: catalog) }
        return CaptureGeneration(number: next, state: state, historyToRecord: nil)
    }

    /// A prefix's records keep one format: its consumers (apply's `--input-format`, Kafka Connect sinks) read one.
    private func checkRecordFormat(remembered: SourceHistory?) throws {
        guard let remembered, remembered.recordFormat != options.recordFormat else { return }
        throw CaptureConfigurationError(
            description: "the topics of prefix \(options.prefix) hold --record-format \(remembered.recordFormat.rawValue) "
                + "records; this capture was started with --record-format \(options.recordFormat.rawValue). Restart it "
                + "with --record-format \(remembered.recordFormat.rawValue), or capture into a new --prefix (and slot) "
                + "to change the format")
    }

    /// Debezium's format has no generations (apply could not tell a new history's records from the old one's), so a
    /// new history means new targets, as Debezium users rebuild them.
    static let newGenerationInDebeziumFormat = CaptureConfigurationError(
            description: "--new-generation cannot be used with --record-format debezium: its records carry "
                + "no generation. Capture into a new --prefix (new slot, full snapshot) and rebuild the targets from "
                + "it (e.g. ferry apply with a new group and DROP_AND_CREATE)")

    /// Remembers the history once its slot exists: written before, a capture killed between the two would find the
    /// history remembered and the slot missing at its restart, and stop as if the slot had been dropped.
    func recordHistory(of generation: CaptureGeneration, stateStore: SnapshotStateStore, publisher: ChangePublisher)
        async throws
    {
        guard let history = generation.historyToRecord else { return }
        try await publisher.sendDurably([stateStore.historyMessage(history)])
    }

    /// Writes the table's `GenerationSnapshotMarker` into every partition of its topic, once its snapshot rows are
    /// durable (the caller flushed): each marker carries every partition's end offset, below which all of the
    /// table's snapshot rows lie, so apply can tell when every partition is past them.
    func markGenerationSnapshotComplete(
        _ table: QualifiedTableName, generation: Int64, publisher: ChangePublisher
    ) async throws {
        let topic = options.topic(for: table)
        let admin = try KafkaAdmin(configuration: options.kafka)
        guard let partitions = try await admin.topics().first(where: { $0.name == topic })?.partitions.sorted() else {
            throw CaptureConfigurationError(description: "topic \(topic) has no partitions in the broker's metadata")
        }
        var ends: [Int64] = []
        for partition in partitions {
            ends.append(try await admin.watermarks(TopicPartition(topic: topic, partition: partition)).high)
        }
        let marker = GenerationSnapshotMarker(
            schema: table.schema, table: table.name, generation: generation, partitionEnds: ends)
        try await publisher.sendDurably(partitions.map { marker.message(topic: topic, partition: $0) })
    }
}

/// A capture setting that cannot work with what the source or the broker is: final.
public struct CaptureConfigurationError: Error, CustomStringConvertible, Sendable {
    public var description: String
}
