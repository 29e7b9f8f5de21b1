import Apply
import Capture
import Foundation
import Shared

/// A database with one table of several column types and a DynamoDB table holding exactly the items apply would
/// write for its rows (mapped by the same `ItemMapper`, from rows read the way capture's snapshot reads them),
/// versioned below any later snapshot. Tests plant differences in DynamoDB and run the real `ferry validate`.
struct ValidateFixture {
    let sourceURL: String
    let targetTable: String
    let mappingsPath: String
    let client: DynamoDBClient
    /// The items as apply writes them, by id, version included.
    let items: [Int: DynamoDBItem]
    /// The WAL position when the items were written: their versions are at it, below any later snapshot.
    let setupLSN: LSN
    /// The items' version number (a snapshot row's at `setupLSN`).
    let setupVersion: String

    static let versionAttribute = "_ferry_version"

    struct SetupFailed: Error, CustomStringConvertible {
        var reason: String
        var description: String { "validate fixture: \(reason)" }
    }

    static func with(_ body: (ValidateFixture) async throws -> Void) async throws {
        _ = try TestStack.variable("AWS_ENDPOINT_URL_DYNAMODB")  // never real AWS
        try await TestStack.withDatabase("validate") { url in
            let client = DynamoDBClient(configuration: try .fromEnvironment(), logger: TestStack.logger)
            let target = TestStack.uniqueName("validate_items")
            do {
                let fixture = try await make(sourceURL: url, targetTable: target, client: client)
                try await body(fixture)
            } catch {
                _ = try? await client.deleteTable(target)
                try? await client.shutdown()
                throw error
            }
            _ = try? await client.deleteTable(target)
            try await client.shutdown()
        }
    }

    /// The fixture's table and items in the database at `sourceURL` (`with` makes one of the stack's).
    static func make(sourceURL: String, targetTable: String, client: DynamoDBClient) async throws -> ValidateFixture {
        let connection = try await PostgresConnection.connect(sourceURL)
        try await connection.query(
            """
            CREATE TABLE items (
                id int PRIMARY KEY, name text NOT NULL, price numeric(12,2), updated timestamptz, doc jsonb,
                blob bytea, note text);
            INSERT INTO items VALUES
                (1, 'alpha', 10.50, '2024-11-24 14:53:20.123456+00', '{"tags":["a","b"],"rate":1.50}', '\\x0102ff', NULL),
                (2, 'beta', 0.01, '2024-01-01 00:00:00+00', '[1,2.50,{"x":"y"}]', '\\x00', 'second'),
                (3, 'gamma', 12345678.90, NULL, '{"nested":{"deep":[true,false]}}', NULL, 'third'),
                (4, 'delta', 12.34, '2023-06-30 23:59:59.5+02', '{}', '\\xdeadbeef', NULL),
                (5, 'epsilon', NULL, NULL, NULL, NULL, NULL)
            """)
        let mappingsPath = FileManager.default.temporaryDirectory.appendingPathComponent("\(targetTable).json").path
        let mappingsText = """
            {"rules": [
              {"rule-type": "selection", "rule-id": "1", "rule-name": "all", "rule-action": "include",
               "object-locator": {"schema-name": "public", "table-name": "%"}},
              {"rule-type": "object-mapping", "rule-id": "2", "rule-name": "items", "rule-action": "map-record-to-record",
               "object-locator": {"schema-name": "public", "table-name": "items"}, "target-table-name": "\(targetTable)",
               "mapping-parameters": {"partition-key-name": "id"}}
            ]}
            """
        try Data(mappingsText.utf8).write(to: URL(fileURLWithPath: mappingsPath))

        try await client.createTable(
            CreateTableInput(
                tableName: targetTable, attributeDefinitions: [AttributeDefinition("id", .n)],
                keySchema: [KeySchemaElement("id", .hash)]))
        try await client.waitUntilActive(table: targetTable, timeout: .seconds(20))

        let lsnText = try await connection.query("SELECT pg_current_wal_lsn()::text").rows.first?[0] ?? nil
        guard let setupLSN = lsnText.flatMap(LSN.init) else { throw SetupFailed(reason: "no WAL position: \(lsnText ?? "NULL")") }
        let setupVersion = try ItemVersion.number(for: RecordVersion(commitLSN: setupLSN, seq: -1))
        let (tables, _) = try await TableCatalog(connection: connection).select(
            .names([QualifiedTableName(schema: "public", name: "items")]), database: "", role: "")
        guard let table = tables.first, let shape = RecordShape(table: table) else {
            throw SetupFailed(reason: "public.items is not described with a key: \(tables)")
        }
        let mapper = try ItemMapper(
            mappings: try TableMappings.parse(Array(mappingsText.utf8)), schema: "public", table: "items",
            primaryKey: ["id"], keySchema: [KeyAttribute(name: "id", type: .number)])
        var items: [Int: DynamoDBItem] = [:]
        _ = try await shape.readRows(on: connection) { rows in
            for values in rows {
                var item = try mapper.item(for: shape.object(values), types: shape.types)
                item[versionAttribute] = .n(setupVersion)
                if case .n(let id)? = item["id"], let id = Int(id) { items[id] = item }
            }
        }
        for item in items.values { try await client.putItem(PutItemInput(tableName: targetTable, item: item)) }
        return ValidateFixture(
            sourceURL: sourceURL, targetTable: targetTable,
            mappingsPath: mappingsPath, client: client, items: items, setupLSN: setupLSN,
            setupVersion: setupVersion)
    }

    /// The item of row `id` (just the key and version for an id without a row) with `changes` applied.
    func item(_ id: Int, _ changes: [String: DynamoDBAttributeValue] = [:]) -> DynamoDBItem {
        var item = items[id] ?? ["id": .n(String(id)), Self.versionAttribute: .n(setupVersion)]
        for (name, value) in changes { item[name] = value }
        return item
    }

    func put(_ item: DynamoDBItem) async throws {
        try await client.putItem(PutItemInput(tableName: targetTable, item: item))
    }

    func delete(_ id: Int) async throws {
        try await client.deleteItem(DeleteItemInput(tableName: targetTable, key: ["id": .n(String(id))]))
    }

    /// A version number far above any snapshot this test can take: a change "committed after the snapshot".
    var futureVersion: DynamoDBAttributeValue {
        get throws {
            .n(try ItemVersion.number(for: RecordVersion(commitLSN: LSN(rawValue: setupLSN.rawValue + 1 << 40), seq: 0)))
        }
    }

    struct Run {
        var status: Int32
        var output: String
        var errors: String
    }

    /// `ferry validate` with this fixture's source and mappings (or those at `mappings`).
    func validate(_ arguments: [String], mappings: String? = nil) async throws -> Run {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(targetTable)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let name = TestStack.uniqueName("validate")
        let errorPath = directory.appendingPathComponent("\(name).err").path
        let child = try ChildProcess(
            [try ferryExecutable(), "validate", "--source", sourceURL, "--table-mappings", mappings ?? mappingsPath] + arguments,
            logPath: directory.appendingPathComponent("\(name).out").path, errorPath: errorPath)
        let status = try await child.wait()
        return Run(
            status: status, output: child.output,
            errors: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")
    }
}
