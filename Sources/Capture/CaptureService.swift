import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Shared
import Synchronization

/// `ferry capture`: checks the source, prepares topics, slot and publication, snapshots what needs it and streams
/// changes — all into Kafka, acknowledging to PostgreSQL only what Kafka has made durable.
/// On graceful shutdown (SIGTERM/SIGINT) it stops reading, flushes the producer, acknowledges what is durable, returns.
public final class CaptureService: Service {
    let options: CaptureOptions
    let logger: Logger
    public let progress = CaptureProgress()
    /// The current attempt's tables (for naming a failing record's table) and whether it got to streaming.
    private let attemptTables = Mutex<[SourceTable]>([])
    private let reachedStreaming = Atomic(false)

    public init(options: CaptureOptions, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown { try await self.captureRetrying() }
    }

    /// Runs capture; a lost connection (PostgreSQL or Kafka), a timeout or a slot still held by a dead session is
    /// retried with backoff — resuming from the slot's acknowledged position loses nothing. What a retry cannot
    /// heal (`CaptureFailure`) stops capture with a `CaptureStopped` naming the object and the fix.
    private func captureRetrying() async throws {
        var backoff = Backoff(initial: .milliseconds(500), maximum: .seconds(30))
        let retries = Counter(label: "ferry_capture_retries_total")
        while !Task.isCancelled {
            do {
                try await capture()
                return
            } catch let error where CaptureFailure.isTransient(error) && !Task.isCancelled {
                // An attempt that got as far as streaming was a healthy run interrupted: start the backoff over.
                if reachedStreaming.exchange(false, ordering: .relaxed) { backoff.reset() }
                let delay = backoff.next()
                retries.increment()
                let attempt = progress.retrying(after: "\(error)")
                logger.warning(
                    "capture interrupted; retrying",
                    metadata: ["error": "\(error)", "retry_in": "\(delay)", "retry_attempt": "\(attempt)"])
                try? await Task.sleep(for: delay)
            } catch where Task.isCancelled {
                // Shutting down (SIGTERM/SIGINT): whatever the attempt was doing ends here, and that is a clean stop —
                // only what Kafka holds durably was acknowledged, so the next start resumes exactly.
                if !(error is CancellationError) {
                    logger.info("capture stopped while shutting down", metadata: ["interrupted": "\(error)"])
                }
                return
            } catch {
                let stopped = CaptureFailure.stopped(by: error, options: options, tables: attemptTables.withLock { $0 })
                // The one message: `ferry` prints it as it exits with status 1; `/status` shows it meanwhile.
                progress.failing(stopped.description)
                throw stopped
            }
        }
    }

    /// One attempt. Its producer runs for the attempt only and is stopped and released on every way out, so a
    /// failed attempt leaves no thread, connection or task behind.
    private func capture() async throws {
        // First: an idempotent producer cannot send before it has a producer id, which librdkafka asks for on a
        // half-second timer once a broker connection is up; created here, that wait overlaps the checks below.
        let progress = self.progress
        let translator = options.recordFormat == .debezium
            ? DebeziumBatchTranslator(prefix: options.prefix, decimalHandling: options.decimalHandling) : nil
        let publisher = try ChangePublisher(configuration: options.kafka, logger: logger, translator: translator) {
            progress.published($0)
        }
        try await publisher.withRunning { try await self.capture(publishingWith: publisher, translator: translator) }
    }

    private func capture(publishingWith publisher: ChangePublisher, translator: DebeziumBatchTranslator?) async throws {
        let tables = try await Preflight.run(
            source: options.source, selection: options.selection, slotName: options.slot, topics: options.topics,
            rules: options.tableRules)
        attemptTables.withLock { $0 = tables }
        translator?.describe(tables)
        let catalog = try await options.source.connect(applicationName: "ferry-capture")
        let database = try await catalog.query("SELECT current_database()").rows.first?.first.flatMap { $0 } ?? ""
        logger.info("source checked", metadata: ["tables": "\(tables.map(\.name.description))", "database": "\(database)"])

        let admin = try KafkaAdmin(configuration: options.kafka)
        let stateStore = SnapshotStateStore(prefix: options.prefix)
        try await admin.createTopics(
            tables.map { KafkaNewTopic(name: options.topic(for: $0.name), partitions: options.partitions, configs: options.tableTopicConfigs) }
                + [stateStore.topicSpec])

        let replication = try await options.source.connect(replication: true, applicationName: "ferry-capture")
        let generation = try await continueHistory(
            tables: tables, catalog: catalog, replication: replication, stateStore: stateStore, publisher: publisher)
        // After the history check, which must see a table that left the publication before it is added back; before
        // the slot, whose decoding needs the publication from its consistent point on.
        try await catalog.ensurePublication(options.publication, tables: tables)
        let slot = try await ReplicationSlot.ensure(options.slot, database: database, catalog: catalog, replication: replication)
        try await recordHistory(of: generation, stateStore: stateStore, publisher: publisher)

        // A new slot has no history: every table needs its snapshot, whatever the state topic remembers.
        var toSnapshot: [SourceTable]
        switch options.snapshotMode {
        case .never: toSnapshot = []
        case .always: toSnapshot = tables
        case .initial where slot.exportedSnapshot != nil, .incremental where slot.exportedSnapshot != nil: toSnapshot = tables
        case .initial, .incremental:
            let completed = generation.state.completedTables(inGeneration: generation.number)
            toSnapshot = tables.filter { !completed.contains($0.name.description) }
        }
        let incrementalLoads = incrementalLoads(
            tables: tables, toSnapshot: &toSnapshot, slotIsNew: slot.exportedSnapshot != nil, generation: generation)
        var snapshotSessions: [PostgresConnection] = []
        var snapshot: ExportedSnapshot?
        let snapshotChunks = try await SnapshotPlanner.chunks(
            for: toSnapshot, rowsPerChunk: options.rowsPerSnapshotChunk, rules: { [options] in options.tableRules($0.name) }
        ) { table in
            guard let key = table.captureKey?.first else { return nil }
            let column = SQLIdentifier.quote(key)
            let row = try await catalog.query("SELECT min(\(column)), max(\(column)) FROM \(table.name.quoted)").rows.first
            guard let low = row?[0].flatMap({ Int64($0) }), let high = row?[1].flatMap({ Int64($0) }) else { return nil }
            return (low, high)
        }
        if !toSnapshot.isEmpty {
            // Resuming (the slot existed): a temporary slot exports a snapshot with an exact consistent point
            // (invariant 6); it disappears when `exporter` closes, after the workers imported its snapshot.
            var exporter: PostgresConnection?
            let exported: ExportedSnapshot
            if let fresh = slot.exportedSnapshot {
                exported = fresh
            } else {
                let connection = try await options.source.connect(replication: true, applicationName: "ferry-snapshot-export")
                // A unique name: a crashed predecessor's temporary slot may linger until the server notices.
                exported = try await connection.exportTemporarySnapshot(
                    slotName: "\(options.slot.prefix(40))_resume_\(String(UInt32.random(in: .min ... .max), radix: 16))")
                exporter = connection
                // Written after the consistent point: the catch-up stream below meets it even on an idle database.
                try await writeHeartbeat(on: catalog)
            }
            snapshot = exported
            // Import the snapshot into every worker before the exporting connection runs anything else.
            for _ in 0..<min(options.snapshotWorkers, snapshotChunks.count) {
                snapshotSessions.append(try await SnapshotReader.openSnapshot(source: options.source, snapshotName: exported.name))
            }
            logger.info(
                "snapshot exported",
                metadata: ["consistent_point": "\(exported.consistentPoint)", "tables": "\(toSnapshot.map(\.name.description))"])
            withExtendedLifetime(exporter) {}
        }
        progress.plan(tables: tables.map(\.name.description), snapshotting: toSnapshot + incrementalLoads.map(\.table))
        progress.failing(nil)

        publisher.start(at: slot.startLSN)
        let incremental = IncrementalContext(
            chunks: ChunkHandoff(), queue: IncrementalLoadQueue(incrementalLoads), generation: generation.number,
            database: database, publisher: publisher, stateStore: stateStore)
        let streamer = ReplicationStreamer(
            catalog: TableCatalog(connection: catalog), publisher: publisher,
            keyColumns: Dictionary(uniqueKeysWithValues: tables.compactMap { table in table.captureKey.map { (table.name.description, $0) } }),
            rowFilters: Dictionary(uniqueKeysWithValues: tables.compactMap { table in
                let filters = options.tableRules(table.name).rowFilters
                return filters.isEmpty ? nil : (table.name.description, filters)
            }),
            selectedTables: Set(tables.map(\.name)),
            prefix: options.prefix, database: database, generation: generation.number,
            tombstones: options.cleanupPolicy.contains("compact"), reselectUnchanged: options.reselectUnchanged,
            progress: progress.stream, chunks: incremental.chunks, windowKeyLimit: options.incrementalWindowKeyLimit,
            snapshotRequests: SnapshotRequests(
                topicPrefix: options.prefix, tables: Dictionary(tables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }),
                generation: generation.number, queue: incremental.queue, stateStore: stateStore, logger: logger),
            logger: logger)

        do {
            try await stream(
                slot: slot, replication: replication, catalog: catalog, snapshot: snapshot, sessions: snapshotSessions,
                chunks: snapshotChunks, database: database, generation: generation.number, publisher: publisher,
                streamer: streamer, stateStore: stateStore, incremental: incremental)
        } catch where ReplicationSlot.isInvalidation(error) {
            throw NewHistoryError(cause: .slotInvalidated(slot: slot.name))
        }
        try await publisher.flush(timeout: .seconds(30))
    }

    /// Snapshots (when `snapshot` is set) and streams until shutdown, beside the heartbeat and the progress reports.
    private func stream(
        slot: ReplicationSlot, replication: PostgresConnection, catalog: PostgresConnection, snapshot: ExportedSnapshot?,
        sessions: [PostgresConnection], chunks snapshotChunks: [SnapshotChunk], database: String, generation: Int64,
        publisher: ChangePublisher, streamer: ReplicationStreamer, stateStore: SnapshotStateStore,
        incremental: IncrementalContext
    ) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await self.heartbeat(on: catalog) }
            group.addTask { try await self.watchPublication(on: catalog) }
            group.addTask { try await self.loadIncrementally(incremental) }
            group.addTask { await self.report(on: catalog, slot: slot.name) }
            group.addTask {
                // Each row's records reach Kafka in version order (docs/design.md invariant 3), so compaction keeps every
                // row's latest: first the changes committed before the snapshot's consistent point (when resuming;
                // a new slot's stream starts there), then the snapshot, then the stream. Changes made meanwhile wait
                // in the slot.
                var startLSN = slot.startLSN
                var streaming = replication
                if let snapshot {
                    if slot.exportedSnapshot == nil {
                        try await streamer.run(
                            on: replication, slot: slot.name, publication: self.options.publication, startLSN: startLSN,
                            until: snapshot.consistentPoint)
                        startLSN = publisher.acknowledgeable
                        guard !Task.isCancelled else { return }
                        streaming = try await self.options.source.connect(
                            replication: true, applicationName: "ferry-capture")
                    }
                    try await self.readSnapshot(
                        snapshotChunks, sessions: sessions, snapshot: snapshot, database: database,
                        generation: generation, publisher: publisher, stateStore: stateStore)
                    guard !Task.isCancelled else { return }
                }
                self.reachedStreaming.store(true, ordering: .relaxed)
                try await streamer.run(
                    on: streaming, slot: slot.name, publication: self.options.publication, startLSN: startLSN)
            }
            // The stream and the heartbeat run until shutdown cancels them; a failure cancels the others.
        }
    }

    /// Reads the chunks with one worker per session (each has imported the snapshot), until every table is durable
    /// in Kafka or shutdown comes.
    private func readSnapshot(
        _ chunks: [SnapshotChunk], sessions: [PostgresConnection], snapshot: ExportedSnapshot, database: String,
        generation: Int64, publisher: ChangePublisher, stateStore: SnapshotStateStore
    ) async throws {
        let queue = SnapshotQueue(chunks)
        try await withThrowingDiscardingTaskGroup { workers in
            for session in sessions {
                workers.addTask {
                    try await self.snapshotTables(
                        from: queue, session: session, snapshot: snapshot, database: database, generation: generation,
                        publisher: publisher, stateStore: stateStore)
                }
            }
        }
    }

    private func snapshotTables(
        from queue: SnapshotQueue, session: PostgresConnection, snapshot: ExportedSnapshot, database: String,
        generation: Int64, publisher: ChangePublisher, stateStore: SnapshotStateStore
    ) async throws {
        while let chunk = queue.next() {
            let table = chunk.table
            guard let shape = RecordShape(table: table) else { continue }
            let reader = SnapshotReader(
                consistentPoint: snapshot.consistentPoint, prefix: options.prefix,
                database: database, generation: generation, shape: shape, startedAtMs: WallClock.nowMs())
            progress.started(table.name.description)
            let rows: Int
            do {
                rows = try await reader.read(on: session, where: chunk.condition, nowMs: WallClock.nowMs) { batch in
                    try Task.checkCancellation()
                    try await publisher.publish(batch, of: .read)
                    progress.read(table.name.description, rows: batch.count)
                }
            } catch is CancellationError {
                // Shutting down mid-table: the table stays incomplete and resumes on the next start.
                return
            }
            guard let total = queue.finished(chunk, rows: rows) else { continue }
            // Completed only once every row has a successful delivery report, and remembered (so a restart skips
            // the table) only once the marker has one too (`sendDurably` flushes first); a failed delivery fails the
            // attempt, which re-reads it.
            if generation > 0 {
                // The partitions' end offsets are read after the rows are durable.
                try await publisher.flush()
                try await markGenerationSnapshotComplete(table.name, generation: generation, publisher: publisher)
            }
            try await publisher.sendDurably([
                stateStore.completionMessage(
                    table: table.name.description, rows: total, consistentPoint: snapshot.consistentPoint,
                    generation: generation, atMs: WallClock.nowMs())
            ])
            progress.completed(table.name.description, rows: total)
            logger.info("snapshot of table completed", metadata: ["table": "\(table.name)", "rows": "\(total)"])
        }
        try await session.query("COMMIT")
    }

    /// Every second: metrics; every 5 s: progress lines (rows, percent, rows/s per loading table; the stream's
    /// acknowledged position and source latency) and the slot's lag behind the server's WAL.
    private func report(on catalog: PostgresConnection, slot: String) async {
        var metrics = CaptureMetrics()
        var previous: [String: Int] = [:]
        var tick = 0
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            tick += 1
            metrics.update(from: progress)
            guard tick % 5 == 0 else { continue }
            let lag = try? await catalog.query(
                "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint FROM pg_replication_slots WHERE slot_name = $1",
                [slot]
            ).rows.first?.first.flatMap { $0.flatMap { Int64($0) } }
            progress.slotLagBytes(lag)
            for table in progress.snapshot where table.state == .loading {
                logger.info(
                    "snapshot progress",
                    metadata: [
                        "table": "\(table.name)", "rows": "\(table.rowsRead)",
                        "percent": "\(table.percent.map { String(format: "%.1f", $0) } ?? "unknown")",
                        "rows_per_second": "\((table.rowsRead - (previous[table.name] ?? 0)) / 5)",
                    ])
                previous[table.name] = table.rowsRead
            }
            if let acknowledged = progress.stream.acknowledged {
                let latency = progress.stream.lastCommitMs.map { WallClock.nowMs() - $0 }
                logger.info(
                    "streaming",
                    metadata: [
                        "acknowledged_lsn": "\(acknowledged)", "source_latency_ms": "\(latency.map(String.init) ?? "n/a")",
                        "slot_lag_bytes": "\(lag.map(String.init) ?? "n/a")",
                    ])
            }
        }
    }

    /// Writes a non-transactional logical message now and then: on an idle database the stream then still
    /// moves, and the slot is acknowledged forward so WAL does not pile up.
    private func heartbeat(on connection: PostgresConnection) async throws {
        while !Task.isCancelled {
            try? await Task.sleep(for: options.heartbeatInterval)
            guard !Task.isCancelled else { return }
            try await writeHeartbeat(on: connection)
        }
    }

    /// Stops capture when a captured table leaves the publication: PostgreSQL does not end the stream then, it
    /// silently stops decoding the table's changes, and the heartbeat moves the slot past them.
    private func watchPublication(on connection: PostgresConnection) async throws {
        let captured = attemptTables.withLock { $0 }.map(\.name)
        while !Task.isCancelled {
            try? await Task.sleep(for: options.heartbeatInterval)
            guard !Task.isCancelled else { return }
            let published = try await connection.publishedTables(options.publication) ?? []
            let left = captured.filter { !published.contains($0) }
            if !left.isEmpty {
                throw NewHistoryError(
                    cause: .tablesLeftPublication(tables: left.map(\.description).sorted(), publication: options.publication))
            }
        }
    }

    private func writeHeartbeat(on connection: PostgresConnection) async throws {
        try await connection.query(
            "SELECT pg_logical_emit_message(false, $1, $2)", [ChangeAssembler.heartbeatPrefix, String(WallClock.nowMs())])
    }
}
