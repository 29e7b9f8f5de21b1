import Logging
import ServiceLifecycle
import Shared

/// `ferry capture`: checks the source, prepares topics, slot and publication, snapshots what needs it and streams
/// changes — all into Kafka, acknowledging to PostgreSQL only what Kafka has made durable.
/// On graceful shutdown (SIGTERM/SIGINT) it stops reading, flushes the producer, acknowledges what is durable, returns.
public final class CaptureService: Service {
    private let options: CaptureOptions
    private let logger: Logger
    public let progress = CaptureProgress()

    public init(options: CaptureOptions, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown { try await self.capture() }
    }

    private func capture() async throws {
        let tables = try await Preflight.run(sourceURL: options.sourceURL, selection: options.selection, slotName: options.slot)
        let catalog = try await PostgresConnection.connect(options.sourceURL, applicationName: "ferry-capture")
        let database = try await catalog.query("SELECT current_database()").rows.first?.first.flatMap { $0 } ?? ""
        logger.info("source checked", metadata: ["tables": "\(tables.map(\.name.description))", "database": "\(database)"])

        let admin = try KafkaAdmin(configuration: options.kafka)
        let stateStore = SnapshotStateStore(prefix: options.prefix)
        try await admin.createTopics(
            tables.map { KafkaNewTopic(name: options.topic(for: $0.name), partitions: options.partitions, configs: ["cleanup.policy": options.cleanupPolicy]) }
                + [stateStore.topicSpec])
        let completed = try await stateStore.completedTables(configuration: options.kafka, logger: logger)

        try await catalog.ensurePublication(options.publication, tables: tables.map { ($0.name.schema, $0.name.name) })
        let replication = try await PostgresConnection.connect(options.sourceURL, replication: true, applicationName: "ferry-capture")
        let slot = try await ReplicationSlot.ensure(options.slot, database: database, catalog: catalog, replication: replication)

        // A new slot has no history: every table needs its snapshot, whatever the state topic remembers.
        let toSnapshot: [SourceTable] =
            switch options.snapshotMode {
            case .never: []
            case .always: tables
            case .initial: slot.exportedSnapshot != nil ? tables : tables.filter { !completed.contains($0.name.description) }
            }
        var snapshotSessions: [PostgresConnection] = []
        var snapshot: ExportedSnapshot?
        if !toSnapshot.isEmpty {
            // Resuming (the slot existed): a temporary slot exports a snapshot with an exact consistent point
            // (invariant 6); it disappears when `exporter` closes, after the workers imported its snapshot.
            var exporter: PostgresConnection?
            let exported: ExportedSnapshot
            if let fresh = slot.exportedSnapshot {
                exported = fresh
            } else {
                let connection = try await PostgresConnection.connect(options.sourceURL, replication: true, applicationName: "ferry-snapshot-export")
                exported = try await connection.exportTemporarySnapshot(slotName: "\(options.slot)_resume")
                exporter = connection
            }
            snapshot = exported
            // Import the snapshot into every worker before the exporting connection runs anything else.
            for _ in 0..<min(options.snapshotWorkers, toSnapshot.count) {
                snapshotSessions.append(try await SnapshotReader.openSnapshot(sourceURL: options.sourceURL, snapshotName: exported.name))
            }
            logger.info(
                "snapshot exported",
                metadata: ["consistent_point": "\(exported.consistentPoint)", "tables": "\(toSnapshot.map(\.name.description))"])
            withExtendedLifetime(exporter) {}
        }
        progress.plan(tables: tables.map(\.name.description), snapshotting: toSnapshot)

        let producer = try KafkaProducer(configuration: options.kafka, logger: logger)
        let publisher = ChangePublisher(producer: producer, startingAt: slot.startLSN, tombstones: options.cleanupPolicy.contains("compact"))
        let streamer = ReplicationStreamer(
            replication: replication, catalog: TableCatalog(connection: catalog), publisher: publisher,
            keyColumns: Dictionary(uniqueKeysWithValues: tables.compactMap { table in table.captureKey.map { (table.name.description, $0) } }),
            prefix: options.prefix, database: database, progress: progress.stream, logger: logger)

        publisher.startTrackingDeliveries()
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await streamer.run(slot: slot.name, publication: self.options.publication, startLSN: slot.startLSN) }
            group.addTask { try await self.heartbeat(on: catalog) }
            if let snapshot {
                let queue = SnapshotQueue(toSnapshot)
                for session in snapshotSessions {
                    group.addTask {
                        try await self.snapshotTables(
                            from: queue, session: session, snapshot: snapshot, database: database, publisher: publisher,
                            stateStore: stateStore)
                    }
                }
            }
            // The streamer and the heartbeat run until shutdown cancels them; a failure cancels the others.
        }
        try await producer.shutdown()
    }

    private func snapshotTables(
        from queue: SnapshotQueue, session: PostgresConnection, snapshot: ExportedSnapshot, database: String,
        publisher: ChangePublisher, stateStore: SnapshotStateStore
    ) async throws {
        while let table = queue.next() {
            guard let key = table.captureKey else { continue }
            let shape = RecordShape(
                schema: table.name.schema, table: table.name.name,
                columns: table.columns.map { RecordShape.Column(name: $0.name, type: $0.type) },
                keyIndexes: key.compactMap { name in table.columns.firstIndex { $0.name == name } })
            let reader = SnapshotReader(
                consistentPoint: snapshot.consistentPoint, prefix: options.prefix,
                database: database, shape: shape, startedAtMs: WallClock.nowMs())
            progress.started(table.name.description)
            let rows: Int
            do {
                rows = try await reader.read(on: session, nowMs: WallClock.nowMs) { records in
                    try Task.checkCancellation()
                    try await publisher.publish(records)
                    progress.read(table.name.description, rows: records.count)
                }
            } catch is CancellationError {
                // Shutting down mid-table: the table stays incomplete and resumes on the next start.
                return
            }
            // Completed only once every row is durable in Kafka; then remembered so a restart skips the table.
            try await publisher.flush()
            try await publisher.sendDurably([
                stateStore.completionMessage(
                    table: table.name.description, rows: rows, consistentPoint: snapshot.consistentPoint, atMs: WallClock.nowMs())
            ])
            progress.completed(table.name.description, rows: rows)
            logger.info("snapshot of table completed", metadata: ["table": "\(table.name)", "rows": "\(rows)"])
        }
        try await session.query("COMMIT")
    }

    /// Writes a non-transactional logical message now and then: on an idle database the stream then still
    /// moves, and the slot is acknowledged forward so WAL does not pile up.
    private func heartbeat(on connection: PostgresConnection) async throws {
        while !Task.isCancelled {
            try? await Task.sleep(for: options.heartbeatInterval)
            guard !Task.isCancelled else { return }
            try await connection.query("SELECT pg_logical_emit_message(false, $1, '')", [ChangeAssembler.heartbeatPrefix])
        }
    }
}
