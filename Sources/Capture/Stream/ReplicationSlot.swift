import Shared

/// A pgoutput replication slot and the snapshot it exported when created.
public struct ReplicationSlot: Sendable {
    public var name: String
    /// Where streaming resumes: the slot's confirmed flush LSN (its consistent point when just created).
    public var startLSN: LSN
    /// Set only when the slot was just created: the exported snapshot and its consistent point. The snapshot stays
    /// importable until the creating connection runs another command.
    public var exportedSnapshot: ExportedSnapshot?
}

public struct ExportedSnapshot: Sendable {
    public var name: String
    public var consistentPoint: LSN
}

public struct ReplicationSlotError: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// The slot is held by another connection: after a crash the server may not have noticed yet, so this
    /// one is worth retrying (a second capture on the same slot keeps failing it, and says so).
    public var isInUse = false
}

extension ReplicationSlot {
    /// Reuses the slot `name` or creates it on `replication` (exporting a snapshot); `catalog` is a normal
    /// connection (replication connections speak only the simple query protocol).
    /// A slot of another plugin, in another database, or in use by another process is an error naming the fix.
    public static func ensure(
        _ name: String, database: String, catalog: PostgresConnection, replication: PostgresConnection
    ) async throws -> ReplicationSlot {
        let existing = try await catalog.query(
            "SELECT plugin, database, active_pid, confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = $1", [name])
        if existing.rows.isEmpty {
            let created = try await replication.query("CREATE_REPLICATION_SLOT \(SQLIdentifier.quote(name)) LOGICAL pgoutput (SNAPSHOT 'export')")
            return try replication.slot(name: name, created: created)
        }
        let plugin = existing.value("plugin") ?? ""
        guard plugin == "pgoutput" else {
            throw ReplicationSlotError(
                description: "replication slot \(name) exists with plugin \(plugin), not pgoutput: choose another --slot, or drop it with "
                    + "SELECT pg_drop_replication_slot('\(name)');")
        }
        let slotDatabase = existing.value("database") ?? ""
        guard slotDatabase == database else {
            throw ReplicationSlotError(
                description: "replication slot \(name) belongs to database \(slotDatabase), not \(database): choose another --slot")
        }
        if let pid = existing.value("active_pid") {
            throw ReplicationSlotError(
                description: "replication slot \(name) is in use by process \(pid) (another ferry capture?); stop it, or choose another --slot",
                isInUse: true)
        }
        guard let confirmed = existing.value("confirmed_flush_lsn").flatMap(LSN.init) else {
            throw ReplicationSlotError(description: "replication slot \(name) has no confirmed flush position")
        }
        return ReplicationSlot(name: name, startLSN: confirmed, exportedSnapshot: nil)
    }
}

extension ReplicationSlot {
    /// Whether slot `name` exists and can still stream (`wal_status` 'lost' means the server removed WAL it needed).
    public static func state(of name: String, catalog: PostgresConnection) async throws -> HistoryCheck.SlotState {
        let row = try await catalog.query("SELECT wal_status FROM pg_replication_slots WHERE slot_name = $1", [name])
        guard !row.rows.isEmpty else { return .missing }
        return row.value("wal_status") == "lost" ? .invalidated : .usable
    }

    /// Drops slot `name` (an invalidated one, before a new generation creates it again).
    public static func drop(_ name: String, catalog: PostgresConnection) async throws {
        try await catalog.query("SELECT pg_drop_replication_slot($1)", [name])
    }

    /// The message PostgreSQL ends a stream with when the slot was invalidated while streaming.
    static func isInvalidation(_ error: any Error) -> Bool {
        guard let error = error as? PostgresError else { return false }
        return error.message.contains("can no longer get changes from replication slot")
            || error.detail?.contains("can no longer get changes from replication slot") == true
    }
}

extension PostgresConnection {

    /// Creates a temporary slot (dropped when this connection closes) only for its exported snapshot: resuming an
    /// interrupted snapshot needs an exact consistent point (docs/design.md invariant 6).
    public func exportTemporarySnapshot(slotName: String) async throws -> ExportedSnapshot {
        let created = try await query(
            "CREATE_REPLICATION_SLOT \(SQLIdentifier.quote(slotName)) TEMPORARY LOGICAL pgoutput (SNAPSHOT 'export')")
        guard let snapshot = try slot(name: slotName, created: created).exportedSnapshot else {
            throw ReplicationSlotError(description: "creating temporary slot \(slotName) exported no snapshot")
        }
        return snapshot
    }

    fileprivate func slot(name: String, created: PostgresQueryResult) throws -> ReplicationSlot {
        guard let point = created.value("consistent_point").flatMap(LSN.init), let snapshot = created.value("snapshot_name") else {
            throw ReplicationSlotError(description: "CREATE_REPLICATION_SLOT \(name) returned no consistent point or snapshot")
        }
        return ReplicationSlot(name: name, startLSN: point, exportedSnapshot: ExportedSnapshot(name: snapshot, consistentPoint: point))
    }

    /// Creates the publication for `tables` or adds the ones it lacks (never removes: other tools may share it).
    /// A partitioned table's changes must come under its own name, the one its topic has, not its partitions':
    /// the publication publishes via the partition root then, and an existing one that does not is refused.
    public func ensurePublication(_ name: String, tables: [SourceTable]) async throws {
        let partitioned = tables.filter(\.isPartitioned).map(\.name)
        guard let published = try await publishedTables(name) else {
            let list = tables.map(\.name.quoted).joined(separator: ", ")
            let options = partitioned.isEmpty ? "" : " WITH (publish_via_partition_root = true)"
            try await query("CREATE PUBLICATION \(SQLIdentifier.quote(name)) FOR TABLE \(list)\(options)")
            return
        }
        if !partitioned.isEmpty {
            let viaRoot = try await query("SELECT pubviaroot FROM pg_publication WHERE pubname = $1", [name])
            if viaRoot.rows.first?.first == "f" {
                throw CaptureConfigurationError(
                    description: """
                        publication \(name) publishes the partitions of \(partitioned.map(\.description).joined(separator: ", ")) \
                        under their own names (publish_via_partition_root is off), so their changes would not reach \
                        the table's topic. Run ALTER PUBLICATION \(SQLIdentifier.quote(name)) SET \
                        (publish_via_partition_root = true) and restart capture; if a capture streamed from it \
                        before, restart with --new-generation: the changes streamed so far went under the partitions' names
                        """)
            }
        }
        let missing = tables.map(\.name).filter { !published.contains($0) }
        if !missing.isEmpty {
            try await query(
                "ALTER PUBLICATION \(SQLIdentifier.quote(name)) ADD TABLE \(missing.map(\.quoted).joined(separator: ", "))")
        }
    }

    /// The tables whose changes `publication` publishes, or nil when it does not exist. A partitioned table counts
    /// when its partitions are published through it: `pg_publication_tables` lists the partitions, not the table
    /// the publication names.
    public func publishedTables(_ publication: String) async throws -> Set<QualifiedTableName>? {
        let exists = try await query("SELECT 1 FROM pg_publication WHERE pubname = $1", [publication])
        guard !exists.rows.isEmpty else { return nil }
        let published = try await query(
            """
            SELECT DISTINCT n.nspname, c.relname
            FROM pg_publication_tables t
            CROSS JOIN LATERAL (
                SELECT format('%I.%I', t.schemaname, t.tablename)::regclass AS relid
                UNION SELECT relid FROM pg_partition_ancestors(format('%I.%I', t.schemaname, t.tablename)::regclass)
            ) published
            JOIN pg_class c ON c.oid = published.relid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE t.pubname = $1
            """, [publication])
        return Set(published.rows.compactMap { row in
            guard let schema = row[0], let name = row[1] else { return nil }
            return QualifiedTableName(schema: schema, name: name)
        })
    }
}
