import Shared

/// One thing to change before capture can start, with the exact fix. Preflight collects every problem it finds,
/// so a user fixes them all in one go.
public enum PreflightProblem: Sendable, Equatable, CustomStringConvertible {
    /// `wal_level` is not `logical`, so PostgreSQL writes nothing logical decoding can read.
    case walLevelNotLogical(current: String, platform: ServerPlatform)
    /// The role is neither superuser nor has REPLICATION (nor, on RDS, `rds_replication`).
    case replicationNotPermitted(role: String, platform: ServerPlatform)
    /// Every replication slot is taken and capture needs a new one.
    case replicationSlotsExhausted(inUse: Int, limit: Int, platform: ServerPlatform)
    /// Every WAL sender process is taken; the replication connection would be refused.
    case walSendersExhausted(inUse: Int, limit: Int, platform: ServerPlatform)
    /// A table named in the selection does not exist; `similar` are existing names the user may have meant.
    case tableMissing(QualifiedTableName, similar: [QualifiedTableName])
    /// Updates and deletes of the table cannot be keyed: no primary key under REPLICA IDENTITY DEFAULT,
    /// REPLICA IDENTITY NOTHING, or a replica-identity index that no longer exists.
    case tableWithoutKey(QualifiedTableName, replicaIdentity: ReplicaIdentity, hasPrimaryKey: Bool)
    /// The role may not SELECT the table, which the snapshot needs.
    case tableNotReadable(QualifiedTableName, role: String)
    /// The selection matched no table at all.
    case noTableSelected(database: String, available: [QualifiedTableName])
    /// Kafka would refuse every topic of this prefix.
    case prefixUnusable(String, reason: String)
    /// The table's topic name would be longer than Kafka allows.
    case topicNameTooLong(QualifiedTableName, topic: String)
    /// The tables' topics differ only in `.` versus `_`, which Kafka refuses to hold side by side.
    case topicsCollide([QualifiedTableName], topics: [String])
    /// A selection rule's filter or a table-settings rule's ranges cannot be applied to the table's columns.
    case tableRuleUnusable(QualifiedTableName, String)

    /// What is wrong on the first line, then the fix: SQL statements on lines of their own, ready to paste.
    public var description: String {
        switch self {
        case .walLevelNotLogical(let current, let platform):
            return "wal_level is '\(current)', but capture reads changes through logical decoding, which needs 'logical'.\n"
                + platform.restartingFix(statement: "ALTER SYSTEM SET wal_level = logical;", rds: "rds.logical_replication = 1")

        case .replicationNotPermitted(let role, let platform):
            let rdsFix = "GRANT rds_replication TO \(SQLIdentifier.quote(role));"
            guard platform == .selfManaged else {
                return "role '\(role)' may not use logical replication.\nFix, as the master user:\n    \(rdsFix)"
            }
            return "role '\(role)' may not use logical replication: it has neither the REPLICATION attribute nor superuser.\n"
                + "Fix, as a superuser:\n    ALTER ROLE \(SQLIdentifier.quote(role)) WITH REPLICATION;\n"
                + "On Amazon RDS / Aurora instead:\n    \(rdsFix)"

        case .replicationSlotsExhausted(let inUse, let limit, let platform):
            return "all replication slots are taken (\(inUse) in use, max_replication_slots = \(limit)) and capture needs one.\n"
                + "Drop slots nobody uses (SELECT slot_name, active FROM pg_replication_slots; then "
                + "SELECT pg_drop_replication_slot('<slot_name>');), or raise max_replication_slots.\n"
                + platform.restartingFix(
                    statement: "ALTER SYSTEM SET max_replication_slots = \(limit + 5);", rds: "max_replication_slots = \(limit + 5)")

        case .walSendersExhausted(let inUse, let limit, let platform):
            return "all WAL sender processes are taken (\(inUse) in use, max_wal_senders = \(limit)) and capture needs one "
                + "for its replication connection; raise max_wal_senders.\n"
                + platform.restartingFix(
                    statement: "ALTER SYSTEM SET max_wal_senders = \(limit + 5);", rds: "max_wal_senders = \(limit + 5)")

        case .tableMissing(let table, let similar):
            if let caseVariant = similar.first(where: { SimilarTableNames.differsOnlyInCase($0, table) }) {
                return "table \(table) does not exist. Did you mean \(caseVariant)? Names are case-sensitive: "
                    + "write them as PostgreSQL stores them."
            }
            if similar.isEmpty { return "table \(table) does not exist." }
            return "table \(table) does not exist. Similar tables: \(similar.map(\.description).joined(separator: ", "))."

        case .tableWithoutKey(let table, let replicaIdentity, let hasPrimaryKey):
            let reason =
                switch replicaIdentity {
                case .nothing: "has REPLICA IDENTITY NOTHING"
                case .index: "uses a REPLICA IDENTITY index that no longer exists"
                case .default, .full: "has no primary key"
                }
            let summary =
                "table \(table) \(reason), so its updates and deletes cannot be traced to a row (and PostgreSQL "
                + "rejects UPDATE and DELETE on it once it is published).\n"
            let alter = "ALTER TABLE \(table.quoted)"
            if hasPrimaryKey {
                return summary + "Fix, to identify rows by the primary key:\n    \(alter) REPLICA IDENTITY DEFAULT;"
            }
            let addKey = replicaIdentity == .default ? "ADD PRIMARY KEY (...)" : "ADD PRIMARY KEY (...), REPLICA IDENTITY DEFAULT"
            return summary
                + "Fix with a primary key on the columns that identify a row:\n    \(alter) \(addKey);\n"
                + "or, if no columns are unique, by logging whole old rows:\n    \(alter) REPLICA IDENTITY FULL;"

        case .tableNotReadable(let table, let role):
            return "role '\(role)' may not read table \(table), which the initial snapshot needs.\n"
                + "Fix:\n    GRANT SELECT ON \(table.quoted) TO \(SQLIdentifier.quote(role));"

        case .noTableSelected(let database, let available):
            guard !available.isEmpty else {
                return "no table is selected: database '\(database)' has no tables outside the system schemas."
            }
            let shown = available.prefix(10).map(\.description).joined(separator: ", ")
            let more = available.count > 10 ? ", … \(available.count) in all" : ""
            return "no table is selected: the selection matches none of the tables in database '\(database)' "
                + "(\(shown)\(more)). Check --tables or the selection rules in the table mappings."

        case .prefixUnusable(let prefix, let reason):
            return "prefix '\(prefix)' cannot name Kafka topics: \(reason).\nFix: choose another --prefix."

        case .topicNameTooLong(let table, let topic):
            let excess = topic.utf8.count - TopicLayout.maximumTopicLength
            return "the topic of table \(table) would be \(topic.utf8.count) characters long, more than Kafka's limit of "
                + "\(TopicLayout.maximumTopicLength): \(topic)\n"
                + "Fix: a --prefix at least \(excess) character\(excess == 1 ? "" : "s") shorter, or leave the table out of "
                + "the selection."

        case .tableRuleUnusable(let table, let problem):
            return "table \(table): \(problem).\nFix the rule in the table mappings."

        case .topicsCollide(let tables, let topics):
            return "Kafka cannot hold the topics \(topics.joined(separator: " and ")) side by side: they differ only in '.' "
                + "versus '_'.\nFix: leave all but one of \(tables.map(\.description).joined(separator: ", ")) out of the "
                + "selection (or capture them under different prefixes)."
        }
    }
}

extension PreflightProblem {
    /// `1. …`, `2. …`, one problem after another, continuation lines lined up under each problem's first line.
    public static func numberedList(_ problems: [PreflightProblem]) -> String {
        problems.enumerated().map { index, problem in
            "\(index + 1). " + problem.description.split(separator: "\n").joined(separator: "\n   ")
        }.joined(separator: "\n")
    }
}

extension ServerPlatform {
    /// How to change a setting that takes effect only at server start, on this platform.
    fileprivate func restartingFix(statement: String, rds parameter: String) -> String {
        let rdsFix = "set \(parameter) in the DB parameter group (the cluster parameter group for Aurora) and reboot."
        switch self {
        case .selfManaged:
            return "Fix, as a superuser, then restart PostgreSQL (the setting takes effect only at server start):\n"
                + "    \(statement)\nOn Amazon RDS / Aurora instead: \(rdsFix)"
        case .amazonRDS:
            return "Fix (Amazon RDS / Aurora): \(rdsFix)"
        }
    }
}
