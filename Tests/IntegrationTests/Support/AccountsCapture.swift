import Foundation
import Shared

/// The kill -9 tests' subject: `ferry capture` (the built executable, a child process logging at debug level into
/// one file across its runs) of `public.accounts` — 60,000 rows of (id, version, pad) — into a prefix of its own.
struct AccountsCapture {
    static let rows = 60000
    let prefix: String
    /// Every run's output, appended.
    let log: String
    let command: [String]
    var topic: String { "\(prefix).public.accounts" }

    /// Creates the table in the database at `url`; `arguments` are capture's options beyond source, brokers,
    /// prefix, tables and log level.
    init(url: String, name: String, arguments: [String]) async throws {
        let db = try await PostgresConnection.connect(url)
        try await db.query(
            """
            CREATE TABLE accounts (id int PRIMARY KEY, version int NOT NULL, pad text);
            INSERT INTO accounts SELECT g, 0, repeat('x', 100) FROM generate_series(1, \(Self.rows)) g;
            """)
        prefix = TestStack.uniqueName(name)
        log = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix).log").path
        command = [
            try ferryExecutable(), "capture", "--source", url, "--brokers", try TestStack.brokers, "--prefix", prefix,
            "--tables", "public.accounts", "--log-level", "debug",
        ] + arguments
    }

    /// Starts a run, with `arguments` added.
    func start(_ arguments: [String] = []) throws -> ChildProcess {
        try ChildProcess(command + arguments, logPath: log)
    }

    /// A writer bumping `version` of 3 random rows in each transaction, with `more` SQL (given the round) in the
    /// same transaction, every `pause`; `recorded` learns each transaction's ids and version once committed.
    static func writer(
        url: String, pause: Duration, more: @escaping @Sendable (Int) -> String,
        recorded: @escaping @Sendable ([Int], Int) -> Void = { _, _ in }
    ) -> Task<Void, any Error> {
        sourceWriter(url) { session, round in
            let ids = (0..<3).map { _ in Int.random(in: 1...rows) }
            try await session.query(
                """
                BEGIN;
                UPDATE accounts SET version = \(round) WHERE id IN (\(ids.map(String.init).joined(separator: ",")));
                \(more(round))
                COMMIT;
                """)
            recorded(ids, round)
            try await Task.sleep(for: pause)
        }
    }
}
