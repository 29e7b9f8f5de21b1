import Shared

/// The server-wide facts capture depends on: WAL level, the role's replication right, free slots and senders.
struct ServerReadiness: Sendable {
    var role: String
    var database: String
    var platform: ServerPlatform
    var walLevel: String
    var mayReplicate: Bool
    var slotsInUse: Int
    var slotLimit: Int
    var sendersInUse: Int
    var senderLimit: Int
    /// Capture's slot exists already (a restart), so it needs no free one.
    var slotExists: Bool

    /// Reads them all in one query. `slotName` is capture's slot, if known.
    static func load(from connection: PostgresConnection, slotName: String?) async throws -> ServerReadiness {
        let result = try await connection.query(query, [slotName])
        guard let values = result.rows.first else {
            throw CatalogError(source: "pg_roles", problem: "no row for the current role")
        }
        let row = CatalogRow(values: values, source: "server settings")
        return ServerReadiness(
            role: try row.text(0), database: try row.text(1), platform: row.flag(3) ? .amazonRDS : .selfManaged,
            walLevel: try row.text(2), mayReplicate: row.flag(4), slotsInUse: try row.number(5),
            slotLimit: try row.number(6), sendersInUse: try row.number(7), senderLimit: try row.number(8),
            slotExists: row.flag(9))
    }

    var problems: [PreflightProblem] {
        var problems: [PreflightProblem] = []
        if walLevel != "logical" { problems.append(.walLevelNotLogical(current: walLevel, platform: platform)) }
        if !mayReplicate { problems.append(.replicationNotPermitted(role: role, platform: platform)) }
        if !slotExists, slotsInUse >= slotLimit {
            problems.append(.replicationSlotsExhausted(inUse: slotsInUse, limit: slotLimit, platform: platform))
        }
        if sendersInUse >= senderLimit {
            problems.append(.walSendersExhausted(inUse: sendersInUse, limit: senderLimit, platform: platform))
        }
        return problems
    }

    /// `rds.logical_replication` exists only on Amazon RDS and Aurora. There the REPLICATION attribute is
    /// reserved and membership in `rds_replication` grants the right instead (NULL, not an error, elsewhere).
    /// `pg_stat_replication` lists every WAL sender, physical or logical, to any role.
    private static let query = """
        SELECT current_user, current_database(), current_setting('wal_level'),
               current_setting('rds.logical_replication', true) IS NOT NULL,
               r.rolsuper OR r.rolreplication OR COALESCE(
                   (SELECT bool_or(pg_has_role(current_user, g.oid, 'MEMBER')) FROM pg_roles g
                    WHERE g.rolname = 'rds_replication'), false),
               (SELECT count(*) FROM pg_replication_slots), current_setting('max_replication_slots'),
               (SELECT count(*) FROM pg_stat_replication), current_setting('max_wal_senders'),
               EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $1)
        FROM pg_roles r WHERE r.rolname = current_user
        """
}
