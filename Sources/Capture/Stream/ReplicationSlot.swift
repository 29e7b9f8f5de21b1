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
    public func ensurePublication(_ name: String, tables: [(schema: String, table: String)]) async throws {
        let qualified = tables.map { SQLIdentifier.quote(schema: $0.schema, name: $0.table) }
        let exists = try await query("SELECT 1 FROM pg_publication WHERE pubname = $1", [name])
        if exists.rows.isEmpty {
            try await query("CREATE PUBLICATION \(SQLIdentifier.quote(name)) FOR TABLE \(qualified.joined(separator: ", "))")
            return
        }
        let published = try await query("SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = $1", [name])
        let present = Set(published.rows.map { "\($0[0] ?? "").\($0[1] ?? "")" })
        let missing = zip(tables, qualified).filter { !present.contains("\($0.0.schema).\($0.0.table)") }.map(\.1)
        if !missing.isEmpty {
            try await query("ALTER PUBLICATION \(SQLIdentifier.quote(name)) ADD TABLE \(missing.joined(separator: ", "))")
        }
    }
}
