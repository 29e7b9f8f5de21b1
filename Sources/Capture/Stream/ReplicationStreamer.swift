import Logging
import Metrics
import NIOCore
import Shared
import Synchronization

/// Reads the pgoutput stream of a slot, turns it into records for the publisher, and reports back to the server
/// only what Kafka has acknowledged (standby status updates on request and every `statusInterval`).
public final class ReplicationStreamer: Sendable {
    private let catalog: TableCatalog
    private let publisher: ChangePublisher
    /// Key columns per `schema.table` from the catalog (primary key first); pgoutput flags every column as key
    /// under REPLICA IDENTITY FULL, so the catalog's choice wins.
    private let keyColumns: [String: [String]]
    /// The selection rules' row filters per `schema.table` (tables without filters are absent).
    private let rowFilters: [String: [RowFilter]]
    /// The tables capture selected (nil: every table the publication sends). A publication shared with other tools
    /// may send more: their changes are dropped, never written under their own topics.
    private let selectedTables: Set<QualifiedTableName>?
    /// Unselected tables already logged, so each is logged once per capture attempt (this streamer's life).
    private let unselectedSeen = Mutex<Set<String>>([])
    private let prefix: String
    private let database: String
    /// The generation the records carry (docs/design.md, invariant 1).
    private let generation: Int64
    /// Follow each delete with a tombstone (compacted topics).
    private let tombstones: Bool
    /// Read back every unchanged TOAST column, not only those of key changes (`--reselect-unchanged`).
    private let reselectUnchanged: Bool
    private let unsentColumns: UnsentColumnsReader
    private let statusInterval: Duration
    private let logger: Logger
    private let progress: StreamProgress
    /// The incremental snapshot's chunks, written at their high watermarks; nil when capture loads none.
    private let chunks: ChunkHandoff?
    /// The most keys a chunk's window collects (`SnapshotWindows`).
    private let windowKeyLimit: Int
    /// Turns the `ferry snapshot` requests met in the stream into loads; nil when capture takes none.
    private let snapshotRequests: SnapshotRequests?

    public init(
        catalog: TableCatalog, publisher: ChangePublisher, keyColumns: [String: [String]],
        rowFilters: [String: [RowFilter]] = [:], selectedTables: Set<QualifiedTableName>? = nil, prefix: String, database: String, generation: Int64 = 0,
        tombstones: Bool, reselectUnchanged: Bool = false, statusInterval: Duration = .seconds(1),
        progress: StreamProgress, chunks: ChunkHandoff? = nil, windowKeyLimit: Int,
        snapshotRequests: SnapshotRequests? = nil, logger: Logger
    ) {
        self.chunks = chunks
        self.windowKeyLimit = windowKeyLimit
        self.snapshotRequests = snapshotRequests
        self.generation = generation
        self.catalog = catalog
        self.publisher = publisher
        self.keyColumns = keyColumns
        self.rowFilters = rowFilters
        self.selectedTables = selectedTables
        self.prefix = prefix
        self.database = database
        self.tombstones = tombstones
        self.reselectUnchanged = reselectUnchanged
        unsentColumns = UnsentColumnsReader(connection: catalog.connection, logger: logger)
        self.statusInterval = statusInterval
        self.progress = progress
        self.logger = logger
    }

    /// The slot and the publication named exactly as they were created (quoted: unquoted names fold to lowercase).
    static func startReplicationCommand(slot: String, publication: String, from startLSN: LSN) -> String {
        "START_REPLICATION SLOT \(SQLIdentifier.quote(slot)) LOGICAL \(startLSN) (proto_version '1', "
            + "publication_names \(SQLIdentifier.identifierListLiteral(publication)), messages 'true')"
    }

    /// Streams from `startLSN` on `replication` until the task is cancelled — or, given `stopLSN`, until the first
    /// transaction committed at or after it (or a logical message written after it), which is left for the next run;
    /// then waits for Kafka, sends a last status update and ends the copy, which releases the slot.
    /// A connection streams once: PostgreSQL 15 ends a second START_REPLICATION on it at once.
    public func run(
        on replication: PostgresConnection, slot: String, publication: String, startLSN: LSN, until stopLSN: LSN? = nil
    ) async throws {
        try await replication.startCopyBoth(Self.startReplicationCommand(slot: slot, publication: publication, from: startLSN))
        logger.info("streaming", metadata: ["slot": "\(slot)", "from": "\(startLSN)", "until": "\(stopLSN.map { "\($0)" } ?? "shutdown")"])
        var assembler = ChangeAssembler(
            prefix: prefix, database: database, generation: generation, tombstones: tombstones,
            reselectUnchanged: reselectUnchanged, windowKeyLimit: windowKeyLimit)
        var received = startLSN
        var lastStatus = ContinuousClock.now
        var lastReported = startLSN
        // Encoding and handing a batch to Kafka overlaps decoding the next one (two cores instead of one); batches
        // are published one after another, in order, and the acknowledged position only ever comes from Kafka.
        var publishing: Task<Void, any Error>?
        var reachedStop = false
        do {
            while !Task.isCancelled && !reachedStop {
                var batch = ChangeBatchBuilder()
                var finishedChunks: [(UInt64, ChunkHandoff.Outcome)] = []
                var replyRequested = false
                let messages = try await replication.readCopyData(maxMessages: 4096, timeout: .milliseconds(200))
                // The records of one read are stamped with one time: they were read within milliseconds.
                let nowMs = WallClock.nowMs()
                reading: for var buffer in messages {
                    switch try ReplicationMessage.decode(from: &buffer) {
                    case .xLogData(var data):
                        let message = try PgOutputMessage.decode(from: &data.data)
                        if let stopLSN, message.isPast(stopLSN) {
                            reachedStop = true
                            break reading
                        }
                        received = max(received, data.walStart)
                        if case .relation(let relation) = message {
                            let table = QualifiedTableName(schema: relation.namespace, name: relation.name)
                            if let selectedTables, !selectedTables.contains(table) {
                                assembler.ignore(relation.oid, table: table.description)
                                logUnselected(table.description, publication: publication)
                            } else {
                                let shape = try await shape(of: relation)
                                assembler.register(shape, for: relation.oid, rowFilter: try rowFilter(of: shape))
                            }
                        }
                        try assembler.handle(message, at: data.walStart, nowMs: nowMs, into: &batch)
                        switch message {
                        case .commit(let commit):
                            progress.committed(commitMs: commit.commitTimestamp.unixMilliseconds)
                        case .logicalMessage(let logical) where logical.prefix == ChangeAssembler.heartbeatPrefix:
                            // Our heartbeat carries the time it was written: the stream is caught up to then.
                            if let writtenMs = Int64(String(buffer: logical.content)) { progress.committed(commitMs: writtenMs) }
                        case .logicalMessage(let logical) where logical.prefix == SnapshotWatermark.prefix && !logical.isTransactional:
                            if let chunks, let mark = SnapshotWatermark(content: logical.content),
                                let finished = try watermark(
                                    mark, at: logical.lsn, nowMs: nowMs, chunks: chunks, assembler: &assembler, into: &batch)
                            {
                                finishedChunks.append(finished)
                            }
                        case .logicalMessage(let logical) where logical.prefix == SnapshotSignal.prefix:
                            if let snapshotRequests, let signal = SnapshotSignal(content: logical.content) {
                                for message in snapshotRequests.accept(signal) { batch.write(message) }
                            }
                        default:
                            break
                        }
                    case .primaryKeepalive(let keepalive):
                        received = max(received, keepalive.walEnd)
                        replyRequested = replyRequested || keepalive.replyRequested
                        // Between transactions, nothing below the server's position is ours to wait for.
                        if !assembler.isInTransaction { batch.acknowledgeable(at: keepalive.walEnd) }
                    }
                }
                for (table, count) in assembler.takeDropped() {
                    Counter(label: "ferry_capture_unselected_changes_total", dimensions: [("table", table)]).increment(by: count)
                }
                // Values PostgreSQL did not send are read back before the batch goes out, so its order stays.
                let built = try await unsentColumns.fill(batch.build())
                try await publishing?.value
                publishing = Task { [publisher, chunks] in
                    let lastTicket = try await publisher.publish(built)
                    // Published (tickets issued): the loader waits for these rows before it records the chunk.
                    for (chunk, outcome) in finishedChunks { chunks?.finish(chunk, outcome.published(through: lastTicket)) }
                }
                let acknowledged = publisher.acknowledgeable
                if replyRequested || acknowledged != lastReported || lastStatus.duration(to: .now) >= statusInterval {
                    try await sendStatus(received: received, acknowledged: acknowledged, on: replication)
                    lastReported = acknowledged
                    lastStatus = .now
                    progress.acknowledged(acknowledged)
                }
            }
            try await publishing?.value
        } catch {
            // Not left running behind a failed stream: capture restarts from what Kafka acknowledged.
            publishing?.cancel()
            _ = await publishing?.result
            throw error
        }
        // Shutting down or stopping: wait for Kafka to confirm what was sent, then acknowledge exactly that.
        try await publisher.flush(timeout: .seconds(30))
        try await sendStatus(received: received, acknowledged: publisher.acknowledgeable, on: replication)
        progress.acknowledged(publisher.acknowledgeable)
        try await replication.endCopyBoth()
    }

    /// An incremental snapshot's watermark (docs/design.md, "Incremental snapshots"): a low one opens the chunk's
    /// window; at a high one the chunk's rows whose keys did not change in the window are written, versioned at the
    /// high watermark's LSN. Returns the chunk's outcome at a high watermark of this capture's chunk.
    private func watermark(
        _ mark: SnapshotWatermark, at lsn: LSN, nowMs: Int64, chunks: ChunkHandoff, assembler: inout ChangeAssembler,
        into batch: inout ChangeBatchBuilder
    ) throws -> (UInt64, ChunkHandoff.Outcome)? {
        switch mark.mark {
        case .low:
            if let table = chunks.table(of: mark.chunk) { assembler.windows.open(mark.chunk, table: table) }
            return nil
        case .high:
            guard let rows = chunks.take(mark.chunk) else { return nil }
            switch assembler.windows.close(mark.chunk) ?? .abandoned(reason: "the stream did not meet the chunk's low watermark") {
            case .abandoned(let reason):
                return (mark.chunk, .abandoned(reason: reason))
            case .changed(let keys):
                let encoder = rows.encoder(lsn)
                var written = 0
                for chunk in rows.chunks {
                    written += try encoder.write(chunk, tsMs: nowMs, into: &batch.messages, skipping: keys)
                }
                batch.count(.read, records: written)
                return (mark.chunk, .published(rows: written, lastTicket: 0))
            }
        }
    }

    /// Says once per table that the publication sends a table capture does not select.
    private func logUnselected(_ table: String, publication: String) {
        guard unselectedSeen.withLock({ $0.insert(table).inserted }) else { return }
        logger.warning(
            "the publication sends a table the selection rules leave out: its changes are dropped (counted in ferry_capture_unselected_changes_total)",
            metadata: ["table": "\(table)", "publication": "\(publication)"])
    }

    /// Reports `acknowledged` as flushed and applied: the server may recycle WAL and the slot moves up to it.
    private func sendStatus(received: LSN, acknowledged: LSN, on replication: PostgresConnection) async throws {
        let update = StandbyStatusUpdate(
            written: max(received, acknowledged), flushed: acknowledged, applied: acknowledged,
            clientTime: PostgresTimestamp(unixMilliseconds: WallClock.nowMs()))
        try await replication.writeCopyData(update.encode())
    }

    /// The shape's table filters, typed against the columns the stream now has (a column a filter reads may have
    /// been dropped or changed type since capture started: then capture stops, naming the rule).
    private func rowFilter(of shape: RecordShape) throws -> TableRowFilter? {
        let table = QualifiedTableName(schema: shape.schema, name: shape.table)
        guard let filters = rowFilters[table.description] else { return nil }
        do throws(RowFilterError) {
            return try TableRowFilter(filters, columns: shape.columns.map { ($0.name, $0.type) })
        } catch {
            throw ChangeAssembler.Failure(description: "table \(table): \(error)")
        }
    }

    private func shape(of relation: PgOutputMessage.Relation) async throws -> RecordShape {
        let resolved = try await catalog.columnTypes(ofRelations: [relation.oid])
        let columns = relation.columns.map { column in
            RecordShape.Column(name: column.name, type: resolved[column.typeOID] ?? PostgresColumnType(name: "text"))
        }
        let keyNames = keyColumns["\(relation.namespace).\(relation.name)"] ?? relation.keyColumnNames
        let keyIndexes = keyNames.compactMap { name in columns.firstIndex { $0.name == name } }
        logger.info(
            "relation", metadata: ["table": "\(relation.namespace).\(relation.name)", "columns": "\(columns.count)"])
        return RecordShape(schema: relation.namespace, table: relation.name, columns: columns, keyIndexes: keyIndexes)
    }
}
