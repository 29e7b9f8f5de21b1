import Foundation
import Shared
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("ferry capture command line, against the local stack")
struct CaptureCommandTests {
    /// Users bring their DMS table-mappings.json: its selection rules (wildcards, include then exclude) pick the tables.
    @Test func tableMappingsSelectionRulesPickTheTables() async throws {
        try await TestStack.withDatabase("mappings") { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query(
                """
                CREATE SCHEMA dbo;
                CREATE TABLE dbo."Payments" (id int PRIMARY KEY);
                CREATE TABLE dbo."PaymentsArchive" (id int PRIMARY KEY);
                CREATE TABLE dbo."IntegrationLogs" (id int PRIMARY KEY);
                CREATE TABLE public.other (id int PRIMARY KEY);
                """)
            let mappings = FileManager.default.temporaryDirectory.appendingPathComponent("\(TestStack.uniqueName("mappings")).json")
            try Data(
                #"""
                {"rules": [
                  {"rule-type": "selection", "rule-id": "1", "rule-name": "all-dbo",
                   "object-locator": {"schema-name": "dbo", "table-name": "%"}, "rule-action": "include"},
                  {"rule-type": "selection", "rule-id": "2", "rule-name": "no-archives",
                   "object-locator": {"schema-name": "dbo", "table-name": "%Archive"}, "rule-action": "exclude"},
                  {"rule-type": "object-mapping", "rule-id": "3", "rule-name": "payments", "rule-target": "table",
                   "object-locator": {"schema-name": "dbo", "table-name": "Payments"},
                   "target-table-name": "LoanApp-Payments-dev", "mapping-parameters": {"partition-key-name": "id"}}
                ]}
                """#.utf8
            ).write(to: mappings)
            defer { try? FileManager.default.removeItem(at: mappings) }

            let endpoint = OperationsEndpoint()
            let prefix = TestStack.uniqueName("mapsel")
            let capture = try ChildProcess(
                [
                    try ferryExecutable(), "capture", "--source", url, "--brokers", try TestStack.brokers, "--prefix", prefix,
                    "--table-mappings", mappings.path,
                ] + endpoint.arguments,
                logPath: FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix).log").path)
            let port = try await endpoint.port(of: capture)
            var tables: [String] = []
            let deadline = ContinuousClock.now.advanced(by: .seconds(30))
            while tables.isEmpty, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
                guard let status = try? await HTTPTestConnection.send(.GET, "/status", port: port),
                    case .object(let document) = try JSONParser.parse(status.body), case .array(let list)? = document["tables"]
                else { continue }
                tables = list.compactMap { entry in
                    guard case .object(let table) = entry, case .string(let name)? = table["table"] else { return nil }
                    return name
                }
            }
            capture.signal(SIGTERM)
            #expect(try await capture.wait() == 0, "\(capture.output)")
            #expect(tables.sorted() == ["dbo.IntegrationLogs", "dbo.Payments"])
        }
    }

    /// `--http-address-file` reports where `--http` listens; without `--http` it is a usage error, not ignored.
    @Test func httpAddressFileNeedsHTTP() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(TestStack.uniqueName("httpfile"))
        for command in ["capture", "apply"] {
            let run = try await FerryRun.run([command, "--http-address-file", directory.appendingPathComponent("address").path], in: directory)
            #expect(run.status == 64, "\(run.output)\(run.errors)")
            #expect(run.errors.contains("--http-address-file needs --http (or FERRY_HTTP)"), "\(run.errors)")
        }
    }
}
