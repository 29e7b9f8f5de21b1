import Logging
import Shared

/// What the incremental loader works with during one capture attempt.
struct IncrementalContext: Sendable {
    var chunks: ChunkHandoff
    var queue: IncrementalLoadQueue
    var generation: Int64
    var database: String
    var publisher: ChangePublisher
    var stateStore: SnapshotStateStore
}

/// A chunk whose high watermark is written and whose rows are not yet durable. A table's loader has at most two:
/// the one being made durable and the next, read meanwhile (memory: two chunks' rows, and what the producer holds).
private struct ChunkInFlight: Sendable {
    var chunk: UInt64
    var rows: Int
    /// The load's progress once this chunk is durable.
    var through: IncrementalProgress
    /// Fewer rows than a chunk: the table's last.
    var isLast: Bool
}

extension CaptureService {
    /// The incremental snapshots to run: those an interrupted run left loading (resumed at their next chunk, in
    /// any mode; not on a new slot, which snapshots every table anew), and with `--snapshot incremental` every
    /// table to snapshot — which `toSnapshot`, the exported snapshot's tables, then no longer holds.
    func incrementalLoads(
        tables: [SourceTable], toSnapshot: inout [SourceTable], slotIsNew: Bool, generation: CaptureGeneration
    ) -> [IncrementalLoad] {
        var loads: [IncrementalLoad] = []
        if !slotIsNew {
            for table in tables {
                guard let progress = generation.state.loading[table.name.description],
                    progress.generation == generation.number
                else { continue }
                loads.append(IncrementalLoad(table: table, progress: progress))
            }
        }
        let resumed = Set(loads.map(\.table.name))
        toSnapshot.removeAll { resumed.contains($0.name) }
        if options.snapshotMode == .incremental {
            loads += toSnapshot.map { IncrementalLoad(table: $0, progress: IncrementalProgress(generation: generation.number)) }
            toSnapshot = []
        }
        return loads
    }

    /// Loads the queued tables chunk by chunk beside the stream (docs/design.md, "Incremental snapshots"),
    /// `snapshotWorkers` tables at a time, then waits for more (`ferry snapshot`) until shutdown.
    func loadIncrementally(_ context: IncrementalContext) async throws {
        try await withThrowingDiscardingTaskGroup { workers in
            for _ in 0..<max(1, options.snapshotWorkers) {
                workers.addTask {
                    var connection: PostgresConnection?
                    while let load = await context.queue.waitForNext() {
                        if connection == nil {
                            connection = try await self.options.source.connect(applicationName: "ferry-snapshot")
                        }
                        guard let connection else { return }
                        do {
                            try await self.load(load, on: connection, context)
                        } catch is CancellationError {
                            return
                        }
                    }
                }
            }
        }
    }

    /// One table: for each chunk, a low watermark, the chunk's read in its own short transaction, a high watermark;
    /// the stream writes the rows at the high watermark; then the chunk's end is made durable in the state topic.
    private func load(_ load: IncrementalLoad, on connection: PostgresConnection, _ context: IncrementalContext)
        async throws
    {
        // Described now, not at start: a column added since (`ALTER TABLE … ADD COLUMN … DEFAULT`) is read too.
        let described = try await TableCatalog(connection: connection).describe([
            CatalogTable(name: load.table.name, oid: load.table.oid, isPartition: false)
        ])
        let table = described.first ?? load.table
        let name = table.name.description
        guard let shape = RecordShape(table: table), let keyNames = table.captureKey else { return }
        let key = keyNames.compactMap { keyName in table.columns.first { $0.name == keyName } }
        let rowsPerChunk = options.incrementalChunkRows
        // The selection rules' filters (docs/design.md, "Row filters") bound every chunk, as they bound the
        // exported snapshot's COPY; a `ferry snapshot --where` narrows it further.
        let selected = try table.rowFilterCondition(options.tableRules(table.name).rowFilters)
        let (prefix, database, generation) = (options.prefix, context.database, context.generation)
        let encoder = { @Sendable (highWatermark: LSN) in
            SnapshotRecordEncoder(
                shape: shape,
                source: SourceInfo(
                    version: FerryVersion.current, name: prefix, db: database, schema: shape.schema, table: shape.table,
                    snapshot: true, txId: nil, lsn: highWatermark, commitLSN: highWatermark, seq: -1,
                    tsMs: WallClock.nowMs(), generation: generation))
        }
        var done = load.progress
        progress.resumed(name, rows: done.rows)
        logger.info(
            "incremental snapshot of table",
            metadata: [
                "table": "\(table.name)", "after": "\(done.after.map { String(decoding: JSONValue.object($0).jsonBytes, as: UTF8.self) } ?? "start")",
                "where": "\(done.filter ?? "")",
            ])
        var backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(10))
        // The completion's `consistent_point`: the last chunk's high watermark.
        var highWatermark = LSN(rawValue: 0)
        // The next chunk is read while the one before is made durable (the stream writes its rows, Kafka takes
        // them, then the state topic records the chunk): at most two chunks read and not yet durable.
        // Chunks are recorded one after another, in order, so the state topic only ever names a chunk whose rows,
        // and every earlier chunk's, are durable.
        try await withThrowingTaskGroup(of: Bool.self) { commits in
            var committing: ChunkInFlight?
            var readTo = done
            while true {
                let clause: String
                do throws(ChunkQuery.UnsupportedKey) {
                    let filter = [selected, done.filter].compactMap { $0.map { "(\($0))" } }.joined(separator: " AND ")
                    clause = try ChunkQuery(
                        key: key, after: readTo.after, filter: filter.isEmpty ? nil : filter, rows: rowsPerChunk
                    ).clause()
                } catch {
                    throw IncrementalSnapshotError.unsupportedKey(table.name, error)
                }
                let chunk = UInt64.random(in: 1 ... .max)
                context.chunks.register(chunk, ChunkHandoff.Rows(table: name, encoder: encoder))
                guard try await writeLowWatermark(chunk, table: table.name, on: connection) else {
                    context.chunks.forget(chunk)
                    let delay = backoff.next()
                    logger.warning(
                        "a transaction writing the table holds it; retrying the chunk",
                        metadata: ["table": "\(table.name)", "retry_in": "\(delay)"])
                    try await Task.sleep(for: delay)
                    continue
                }
                // One statement, so one short transaction: the source's xmin is held only while this chunk is read.
                var read: [PostgresCopyChunk] = []
                let rows = try await connection.copyOut(
                    shape.copyStatement(clause: clause, format: shape.snapshotCopyFormat), chunkBytes: 256 << 10
                ) { read.append($0) }
                let lastKey = try read.last.flatMap { try encoder(LSN(rawValue: 0)).key(ofLastRowIn: $0) }
                context.chunks.read(chunk, rows: read)
                read = []
                highWatermark = try await writeHighWatermark(chunk, on: connection)
                var through = readTo
                through.rows += rows
                if let lastKey, case .object(let object) = try JSONParser.parse(lastKey) { through.after = object }
                let current = ChunkInFlight(chunk: chunk, rows: rows, through: through, isLast: rows < rowsPerChunk)

                if let previous = committing {
                    committing = nil
                    guard try await commits.next() == true else {
                        // The chunk before was abandoned: this one goes too (its rows, if published, are correct
                        // but must not be recorded before the chunk before them), and reading resumes after the
                        // last durable chunk.
                        _ = try await context.chunks.outcome(of: current.chunk)
                        readTo = done
                        continue
                    }
                    done = previous.through
                    progress.read(name, rows: previous.rows, chunk: true)
                }
                backoff.reset()
                readTo = through
                commits.addTask { try await self.commit(current, table: table.name, context) }
                committing = current
                guard current.isLast else { continue }
                committing = nil
                if try await commits.next() == true {
                    done = current.through
                    progress.read(name, rows: current.rows, chunk: true)
                    break
                }
                readTo = done
            }
        }
        if generation > 0 {
            try await context.publisher.flush()
            try await markGenerationSnapshotComplete(table.name, generation: generation, publisher: context.publisher)
        }
        try await context.publisher.sendDurably([
            context.stateStore.completionMessage(
                table: name, rows: done.rows, consistentPoint: highWatermark, generation: generation, atMs: WallClock.nowMs())
        ])
        progress.completed(name, rows: done.rows)
        logger.info("incremental snapshot of table completed", metadata: ["table": "\(table.name)", "rows": "\(done.rows)"])
    }

    /// Waits until the stream wrote `chunk`'s rows and Kafka has them, then records the chunk in the state topic
    /// (not the last: the load's completion follows it); false when the chunk's window was abandoned.
    private func commit(_ chunk: ChunkInFlight, table: QualifiedTableName, _ context: IncrementalContext) async throws
        -> Bool
    {
        switch try await context.chunks.outcome(of: chunk.chunk) {
        case .abandoned(let reason):
            logger.info("chunk read again", metadata: ["table": "\(table)", "reason": "\(reason)"])
            return false
        case .published(_, let lastTicket):
            guard !chunk.isLast else { return true }
            // After the rows: a restart reads on from the next chunk.
            try await context.publisher.sendDurably(
                [context.stateStore.loadingMessage(table: table.description, chunk.through)], after: lastTicket)
            logger.debug("chunk loaded", metadata: ["table": "\(table)", "rows": "\(chunk.through.rows)"])
            return true
        }
    }

    /// The low watermark, written while holding `table` IN SHARE MODE: the lock waits until every transaction that
    /// wrote the table has ended — including one whose commit is in the WAL but not yet visible to new snapshots
    /// (it ends a moment later; much later while it waits for a synchronous standby) — so the chunk's read, after
    /// the mark, sees every change of the table committed before it. Writers wait for the lock for a moment; a
    /// long transaction holding the table makes the lock time out instead (false: try again later).
    private func writeLowWatermark(_ chunk: UInt64, table: QualifiedTableName, on connection: PostgresConnection)
        async throws -> Bool
    {
        try await connection.query("BEGIN")
        do {
            try await connection.query("SET LOCAL lock_timeout = '500ms'")
            try await connection.query("LOCK TABLE \(table.quoted) IN SHARE MODE")
            _ = try await writeWatermark(SnapshotWatermark(.low, chunk: chunk), on: connection)
            try await connection.query("COMMIT")
            return true
        } catch let error as PostgresError where error.sqlState == "55P03" {
            try await connection.query("ROLLBACK")
            return false
        } catch let error as PostgresError where error.sqlState == "42501" {
            _ = try? await connection.query("ROLLBACK")
            throw IncrementalSnapshotError.lockDenied(table, error)
        } catch {
            _ = try? await connection.query("ROLLBACK")
            throw error
        }
    }

    /// The high watermark, flushed at once: the stream meets a WAL record only once the WAL holding it is flushed,
    /// and a non-transactional message alone does not flush — with nothing else committing, it waited for the WAL
    /// writer (`wal_writer_delay`, 200 ms by default), a third of the time per 50,000-row chunk. A transaction with
    /// an id, committed with a local flush, flushes the WAL up to its commit, past the mark (`local`: the stream
    /// needs the WAL flushed here, not on a synchronous standby, which `on` would wait for too).
    private func writeHighWatermark(_ chunk: UInt64, on connection: PostgresConnection) async throws -> LSN {
        try await connection.query("BEGIN")
        do {
            try await connection.query("SET LOCAL synchronous_commit = local")
            let written = try await writeWatermark(SnapshotWatermark(.high, chunk: chunk), on: connection)
            try await connection.query("SELECT txid_current()")
            try await connection.query("COMMIT")
            return written
        } catch {
            _ = try? await connection.query("ROLLBACK")
            throw error
        }
    }

    /// Writes `mark` into the WAL (non-transactional: at once, whatever the session's transaction does).
    private func writeWatermark(_ mark: SnapshotWatermark, on connection: PostgresConnection) async throws -> LSN {
        let written = try await connection.query(
            "SELECT pg_logical_emit_message(false, $1, $2)::text", [SnapshotWatermark.prefix, mark.content])
        return written.rows.first?.first.flatMap { $0 }.flatMap(LSN.init) ?? LSN(rawValue: 0)
    }
}
