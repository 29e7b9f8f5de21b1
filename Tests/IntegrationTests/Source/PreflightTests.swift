import Capture
import Foundation
import Shared
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Preflight against the local stack: each problem's message")
struct PreflightTests {
    @Test func wrongPasswordSaysAuthenticationFailedWithoutThePassword() async throws {
        let url = try TestStack.postgresURL.replacingOccurrences(of: "ferry-local-password", with: "not-the-password")
        let error = await #expect(throws: PreflightError.self) {
            try await Preflight.run(source: SourceConnector(connectionString: url), selection: .names([]))
        }
        let text = error?.description ?? ""
        #expect(text.hasPrefix("Cannot connect to the source database postgresql://ferry:***@127.0.0.1:"))
        #expect(text.contains("PostgreSQL authentication failed for user \"ferry\" at 127.0.0.1:"))
        #expect(text.contains("Check the user name and password in the source URL (or PGPASSWORD / ~/.pgpass"))
        #expect(!text.contains("not-the-password"))
    }

    @Test func unreachableServerNamesHostAndPort() async throws {
        let reserved = try ReservedPort()  // bound, never listening: connections are refused, and no one else can take it
        let port = reserved.port
        let error = await #expect(throws: PreflightError.self) {
            try await Preflight.run(
                source: SourceConnector(connectionString: "postgresql://ferry:secret@127.0.0.1:\(port)/postgres"), selection: .names([]))
        }
        let text = error?.description ?? ""
        #expect(text.contains("no PostgreSQL server answered at 127.0.0.1:\(port)"))
        #expect(!text.contains("secret"))
        withExtendedLifetime(reserved) {}
    }

    @Test func roleWithoutReplicationGetsTheGrantStatements() async throws {
        try await TestStack.withDatabase("preflight_role") { url in
            let admin = try await PostgresConnection.connect(url)
            try await admin.query("CREATE TABLE orders (id int PRIMARY KEY)")
            let role = TestStack.uniqueName("preflight_role")
            try await admin.query("CREATE ROLE \(role) LOGIN PASSWORD 'role-password'")
            let roleURL = try stackURL(url, user: role, password: "role-password")
            var outcome: PreflightError?
            do throws(PreflightError) {
                _ = try await Preflight.run(
                    source: SourceConnector(connectionString: roleURL), selection: .names([QualifiedTableName(schema: "public", name: "orders")]))
            } catch {
                outcome = error
            }
            try await admin.query("DROP ROLE \(role)")

            let error = try #require(outcome)
            #expect(
                error.problems == [
                    .replicationNotPermitted(role: role, platform: .selfManaged),
                    .tableNotReadable(QualifiedTableName(schema: "public", name: "orders"), role: role),
                ])
            #expect(error.description.contains("role '\(role)' may not use logical replication"))
            #expect(error.description.contains("\n       ALTER ROLE \"\(role)\" WITH REPLICATION;\n"))
            #expect(error.description.contains("\n       GRANT SELECT ON \"public\".\"orders\" TO \"\(role)\";"))
        }
    }

    @Test func tablesWithoutKeyAreAllReportedWithTheFixingSQL() async throws {
        try await TestStack.withDatabase("preflight_nokey") { url in
            let admin = try await PostgresConnection.connect(url)
            try await admin.query(
                """
                CREATE SCHEMA dbo;
                CREATE TABLE dbo."Logs" (message text, logged_at timestamptz);
                CREATE TABLE dbo.quiet (id int PRIMARY KEY);
                ALTER TABLE dbo.quiet REPLICA IDENTITY NOTHING;
                """)
            let error = await #expect(throws: PreflightError.self) {
                try await Preflight.run(source: SourceConnector(connectionString: url), selection: .matching { schema, _ in schema == "dbo" })
            }
            let text = error?.description ?? ""
            #expect(text.contains("yet; fix 2 problems first:\n1. table dbo.Logs has no primary key"))
            #expect(text.contains("\n       ALTER TABLE \"dbo\".\"Logs\" ADD PRIMARY KEY (...);\n"))
            #expect(text.contains("\n       ALTER TABLE \"dbo\".\"Logs\" REPLICA IDENTITY FULL;\n"))
            #expect(text.contains("2. table dbo.quiet has REPLICA IDENTITY NOTHING"))
            #expect(text.hasSuffix("\n       ALTER TABLE \"dbo\".\"quiet\" REPLICA IDENTITY DEFAULT;"))
        }
    }

    @Test func missingTablesAreNamedWithTheCaseHint() async throws {
        try await TestStack.withDatabase("preflight_missing") { url in
            let admin = try await PostgresConnection.connect(url)
            try await admin.query("CREATE SCHEMA dbo; CREATE TABLE dbo.\"Payments\" (id int PRIMARY KEY)")
            let selection = try TableSelection.parse(tables: "dbo.payments,dbo.Payments,sales.invoices")
            let error = await #expect(throws: PreflightError.self) {
                try await Preflight.run(source: SourceConnector(connectionString: url), selection: selection)
            }
            let text = error?.description ?? ""
            #expect(
                text.contains(
                    "1. table dbo.payments does not exist. Did you mean dbo.Payments? Names are case-sensitive: "
                        + "write them as PostgreSQL stores them.\n2. table sales.invoices does not exist."))
        }
    }

    @Test func noSelectedTableIsAnError() async throws {
        try await TestStack.withDatabase("preflight_none") { url in
            let admin = try await PostgresConnection.connect(url)
            try await admin.query("CREATE TABLE orders (id int PRIMARY KEY)")
            let error = await #expect(throws: PreflightError.self) {
                try await Preflight.run(source: SourceConnector(connectionString: url), selection: .matching { _, _ in false })
            }
            #expect(error?.description.contains("no table is selected: the selection matches none of the tables") == true)
            #expect(error?.description.contains("(public.orders)") == true)
        }
    }

    @Test func readyTablesAreDescribed() async throws {
        try await TestStack.withDatabase("preflight_ok") { url in
            let admin = try await PostgresConnection.connect(url)
            try await admin.query(
                """
                CREATE SCHEMA dbo;
                CREATE TYPE dbo.mood AS ENUM ('calm', 'busy');
                CREATE DOMAIN dbo.email AS text CHECK (VALUE LIKE '%@%');
                CREATE TABLE dbo."Payments" (
                    "PaymentId" int4 PRIMARY KEY, amount numeric(12,2), note text, paid_at timestamptz,
                    payload jsonb, receipt bytea, tags int4[], mood dbo.mood, contact dbo.email, gone int,
                    doubled numeric GENERATED ALWAYS AS (amount * 2) STORED);
                ALTER TABLE dbo."Payments" DROP COLUMN gone;
                INSERT INTO dbo."Payments" ("PaymentId", amount) SELECT g, g FROM generate_series(1, 3) g;
                ANALYZE dbo."Payments";
                CREATE TABLE dbo.audit (at timestamptz, message text);
                ALTER TABLE dbo.audit REPLICA IDENTITY FULL;
                CREATE TABLE dbo.lines (b int, a int, PRIMARY KEY (b, a));
                CREATE TABLE dbo.coded (id int PRIMARY KEY, code text NOT NULL UNIQUE);
                ALTER TABLE dbo.coded REPLICA IDENTITY USING INDEX coded_code_key;
                """)
            let tables = try await Preflight.run(source: SourceConnector(connectionString: url), selection: .matching { schema, _ in schema == "dbo" })
            let byName = Dictionary(uniqueKeysWithValues: tables.map { ($0.name.name, $0) })
            #expect(Set(byName.keys) == ["Payments", "audit", "lines", "coded"])

            let payments = try #require(byName["Payments"])
            #expect(payments.columns.map(\.name) == ["PaymentId", "amount", "note", "paid_at", "payload", "receipt", "tags", "mood", "contact"])
            #expect(
                payments.columns.map(\.type.recordTypeName)
                    == ["int4", "numeric", "text", "timestamptz", "jsonb", "bytea", "int4[]", "mood", "text"])
            #expect(payments.primaryKey == ["PaymentId"])
            #expect(payments.replicaIdentity == .default)
            #expect(payments.captureKey == ["PaymentId"])
            #expect(payments.estimatedRowCount == 3)
            #expect(payments.totalBytes > 0)
            #expect(payments.oid > 0)

            let audit = try #require(byName["audit"])
            #expect(audit.primaryKey.isEmpty)
            #expect(audit.replicaIdentity == .full)
            #expect(audit.captureKey == ["at", "message"])
            #expect(audit.estimatedRowCount == nil)  // never analysed

            #expect(byName["lines"]?.primaryKey == ["b", "a"])
            #expect(byName["coded"]?.replicaIdentity == .index(columns: ["code"]))
            #expect(byName["coded"]?.captureKey == ["code"])
        }
    }

    @Test func walLevelReplicaGetsTheExactFix() async throws {
        let cluster = try await ThrowawayCluster.start(walLevel: "replica")
        var outcome: (any Error)?
        do {
            let connection = try await PostgresConnection.connect(cluster.url)
            try await connection.query("CREATE TABLE orders (id int PRIMARY KEY)")
            _ = try await Preflight.run(
                source: SourceConnector(connectionString: cluster.url), selection: .names([QualifiedTableName(schema: "public", name: "orders")]))
        } catch {
            outcome = error
        }
        await cluster.stop()

        let preflightError = try #require(outcome as? PreflightError)
        #expect(preflightError.problems == [.walLevelNotLogical(current: "replica", platform: .selfManaged)])
        #expect(
            preflightError.description.contains(
                "1. wal_level is 'replica', but capture reads changes through logical decoding, which needs 'logical'.\n"
                    + "   Fix, as a superuser, then restart PostgreSQL (the setting takes effect only at server start):\n"
                    + "       ALTER SYSTEM SET wal_level = logical;\n"
                    + "   On Amazon RDS / Aurora instead: set rds.logical_replication = 1 in the DB parameter group"))
    }

    /// The stack's URL with another user and password, keeping host, port and database.
    private func stackURL(_ base: String, user: String, password: String) throws -> String {
        guard let scheme = base.range(of: "://"), let at = base.range(of: "@") else {
            throw TestStack.Missing(variable: "FERRY_TEST_PG_URL with user:password@")
        }
        return base[..<scheme.upperBound] + "\(user):\(password)" + base[at.lowerBound...]
    }
}
