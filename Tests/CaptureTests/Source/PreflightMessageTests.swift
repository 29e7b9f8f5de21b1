import Shared
import Testing

@testable import Capture

@Suite("Preflight messages")
struct PreflightMessageTests {
    private let logs = QualifiedTableName(schema: "dbo", name: "Logs")

    @Test func walLevelGivesTheStatementAndTheRDSParameter() {
        let text = PreflightProblem.walLevelNotLogical(current: "replica", platform: .selfManaged).description
        #expect(text.hasPrefix("wal_level is 'replica', but capture reads changes through logical decoding"))
        #expect(text.contains("\n    ALTER SYSTEM SET wal_level = logical;\n"))
        #expect(text.contains("restart PostgreSQL"))
        #expect(text.contains("rds.logical_replication = 1 in the DB parameter group"))

        let rds = PreflightProblem.walLevelNotLogical(current: "replica", platform: .amazonRDS).description
        #expect(!rds.contains("ALTER SYSTEM"))
        #expect(rds.contains("rds.logical_replication = 1"))
    }

    @Test func replicationPrivilegeNamesTheRole() {
        let text = PreflightProblem.replicationNotPermitted(role: "app", platform: .selfManaged).description
        #expect(text.hasPrefix("role 'app' may not use logical replication"))
        #expect(text.contains("    ALTER ROLE \"app\" WITH REPLICATION;"))
        #expect(text.contains("    GRANT rds_replication TO \"app\";"))
        let rds = PreflightProblem.replicationNotPermitted(role: "app", platform: .amazonRDS).description
        #expect(!rds.contains("ALTER ROLE"))
    }

    @Test func exhaustedSlotsAndSendersNameTheSetting() {
        let slots = PreflightProblem.replicationSlotsExhausted(inUse: 10, limit: 10, platform: .selfManaged).description
        #expect(slots.contains("max_replication_slots = 10"))
        #expect(slots.contains("ALTER SYSTEM SET max_replication_slots = 15;"))
        let senders = PreflightProblem.walSendersExhausted(inUse: 4, limit: 4, platform: .selfManaged).description
        #expect(senders.contains("ALTER SYSTEM SET max_wal_senders = 9;"))
    }

    @Test func missingTableHintsAtCase() {
        let payments = QualifiedTableName(schema: "dbo", name: "Payments")
        let text = PreflightProblem.tableMissing(QualifiedTableName(schema: "dbo", name: "payments"), similar: [payments])
            .description
        #expect(
            text == "table dbo.payments does not exist. Did you mean dbo.Payments? Names are case-sensitive: "
                + "write them as PostgreSQL stores them.")
        let other = PreflightProblem.tableMissing(QualifiedTableName(schema: "dbo", name: "Paymnts"), similar: [payments])
        #expect(other.description == "table dbo.Paymnts does not exist. Similar tables: dbo.Payments.")
    }

    @Test func tableWithoutKeyGivesBothFixes() {
        let text = PreflightProblem.tableWithoutKey(logs, replicaIdentity: .default, hasPrimaryKey: false).description
        #expect(text.hasPrefix("table dbo.Logs has no primary key"))
        #expect(text.contains("\n    ALTER TABLE \"dbo\".\"Logs\" ADD PRIMARY KEY (...);\n"))
        #expect(text.hasSuffix("\n    ALTER TABLE \"dbo\".\"Logs\" REPLICA IDENTITY FULL;"))

        let nothing = PreflightProblem.tableWithoutKey(logs, replicaIdentity: .nothing, hasPrimaryKey: true).description
        #expect(nothing.hasPrefix("table dbo.Logs has REPLICA IDENTITY NOTHING"))
        #expect(nothing.hasSuffix("\n    ALTER TABLE \"dbo\".\"Logs\" REPLICA IDENTITY DEFAULT;"))
    }

    @Test func noTableSelectedListsWhatExists() {
        let text = PreflightProblem.noTableSelected(database: "LoanApp", available: [logs]).description
        #expect(text.hasPrefix("no table is selected: the selection matches none of the tables in database 'LoanApp' (dbo.Logs)"))
    }

    @Test func errorListsEveryProblemNumberedAndIndented() {
        let error = PreflightError.notReady(
            source: "postgresql://ferry:***@db:5432/app",
            problems: [
                .walLevelNotLogical(current: "replica", platform: .amazonRDS),
                .tableWithoutKey(logs, replicaIdentity: .default, hasPrimaryKey: false),
            ])
        let lines = error.description.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "Cannot capture from postgresql://ferry:***@db:5432/app yet; fix 2 problems first:")
        #expect(lines[1].hasPrefix("1. wal_level is 'replica'"))
        #expect(lines[2].hasPrefix("   Fix (Amazon RDS / Aurora)"))
        #expect(lines[3].hasPrefix("2. table dbo.Logs has no primary key"))
        #expect(lines.contains("       ALTER TABLE \"dbo\".\"Logs\" REPLICA IDENTITY FULL;"))
    }

    @Test func wrongPasswordNamesTheUserNeverThePassword() {
        let target = ConnectionTarget("postgresql://ferry:hunter2@127.0.0.1:55432/app", environment: [:])
        let failure = ConnectionFailure(
            PostgresError(
                kind: .connectionFailed,
                message: "connection to server at \"127.0.0.1\", port 55432 failed: FATAL:  password authentication failed for user \"ferry\""),
            target: target)
        #expect(failure.reason == .authenticationFailed(user: "ferry"))
        #expect(
            failure.description.hasPrefix(
                "Cannot connect to the source database postgresql://ferry:***@127.0.0.1:55432/app: PostgreSQL "
                    + "authentication failed for user \"ferry\" at 127.0.0.1:55432. Check the user name and password"))
        #expect(!failure.description.contains("hunter2"))
    }

    @Test func unreachableServerNamesHostAndPort() {
        let target = ConnectionTarget("postgresql://ferry:pw@10.1.2.3:6000/app", environment: [:])
        let failure = ConnectionFailure(
            PostgresError(
                kind: .connectionFailed,
                message: "connection to server at \"10.1.2.3\", port 6000 failed: Connection refused\n\tIs the server running?"),
            target: target)
        #expect(failure.reason == .unreachable)
        #expect(failure.description.contains("no PostgreSQL server answered at 10.1.2.3:6000"))
    }

    @Test(arguments: [
        ("FATAL:  database \"nope\" does not exist", ConnectionFailure.Reason.databaseMissing),
        ("FATAL:  role \"ghost\" does not exist", .authenticationFailed(user: "u")),
        ("FATAL:  no pg_hba.conf entry for host \"1.2.3.4\"", .rejectedByServer),
        ("could not translate host name \"nohost\" to address", .unreachable),
        ("SSL SYSCALL error: EOF detected", .other),
    ])
    func classifiesLibpqMessages(message: String, reason: ConnectionFailure.Reason) {
        #expect(ConnectionFailure.classify(message, sqlState: nil, user: "u") == reason)
    }
}

@Suite("Preflight: topic names Kafka accepts")
struct PreflightTopicNameTests {
    @Test func aTopicOverKafkasLimitNamesTheTableAndTheFix() throws {
        let table = QualifiedTableName(schema: "public", name: "Order Details")
        let prefix = String(repeating: "p", count: 230)
        let problems = Preflight.topicNameProblems([table, QualifiedTableName(schema: "public", name: "t")], topics: TopicLayout(prefix: prefix))
        #expect(problems == [.topicNameTooLong(table, topic: "\(prefix).public.Order-20Details")])
        let text = try #require(problems.first).description
        #expect(text.hasPrefix("the topic of table public.Order Details would be 253 characters long, more than Kafka's limit of 249"))
        #expect(text.contains("Fix: a --prefix at least 4 characters shorter"))
    }

    @Test func aPrefixKafkaRefusesIsOneProblem() {
        let problems = Preflight.topicNameProblems([QualifiedTableName(schema: "public", name: "t")], topics: TopicLayout(prefix: "my shop"))
        #expect(problems.count == 1)
        #expect(problems.first?.description.hasPrefix("prefix 'my shop' cannot name Kafka topics: the prefix contains ' '") == true)
        #expect(Preflight.topicNameProblems([QualifiedTableName(schema: "ferry", name: "Order Details")], topics: TopicLayout(prefix: "p")).isEmpty)
    }
}

@Suite("Preflight: topics Kafka cannot hold side by side")
struct PreflightTopicCollisionTests {
    @Test func topicsDifferingOnlyInDotVersusUnderscoreAreRefused() {
        let ab = QualifiedTableName(schema: "a_b", name: "c")
        let bc = QualifiedTableName(schema: "a", name: "b_c")
        let problems = Preflight.topicNameProblems([ab, bc, QualifiedTableName(schema: "a", name: "d")], topics: TopicLayout(prefix: "p"))
        #expect(problems == [.topicsCollide([bc, ab], topics: ["p.a.b_c", "p.a_b.c"])])
        #expect(problems.first?.description.hasPrefix("Kafka cannot hold the topics p.a.b_c and p.a_b.c side by side") == true)
        #expect(problems.first?.description.contains("Fix: leave all but one of a.b_c, a_b.c out of the selection") == true)
        // Escaped names fold apart: `a.b` is written `a-2eb`.
        let dotted = [QualifiedTableName(schema: "a.b", name: "c"), QualifiedTableName(schema: "a_b", name: "c")]
        #expect(Preflight.topicNameProblems(dotted, topics: TopicLayout(prefix: "p")).isEmpty)
    }
}
