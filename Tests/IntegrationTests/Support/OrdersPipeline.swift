import Apply
import Foundation

/// `ferry capture` and `ferry apply` as child processes over one source table, `public.orders` (key `id`), into a
/// DynamoDB table of the pipeline's own, each serving its operations endpoint on a port the system picked.
struct OrdersPipeline {
    let prefix: String
    let targetTable: String
    /// Where the mappings and the processes' logs are.
    let directory: URL
    let client: DynamoDBClient
    let capture: ChildProcess
    let apply: ChildProcess
    let capturePort: Int
    let applyPort: Int

    /// Starts both; `applyEnvironment` is added to apply's (e.g. another DynamoDB endpoint); `brokers`, else the
    /// stack's.
    static func start(
        source url: String, name: String, applyEnvironment: [String: String] = [:], brokers: String? = nil
    ) async throws -> OrdersPipeline {
        let prefix = TestStack.uniqueName(name)
        let targetTable = TestStack.uniqueName("Orders")
        let client = DynamoDBClient(configuration: try .fromEnvironment(), logger: TestStack.logger)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(prefix)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let mappings = directory.appendingPathComponent("table-mappings.json")
        try Data(
            #"""
            {"rules": [
              {"rule-type": "selection", "rule-id": "1", "rule-name": "orders",
               "object-locator": {"schema-name": "public", "table-name": "orders"}, "rule-action": "include"},
              {"rule-type": "object-mapping", "rule-id": "2", "rule-name": "orders", "rule-target": "table",
               "object-locator": {"schema-name": "public", "table-name": "orders"},
               "target-table-name": "\#(targetTable)", "mapping-parameters": {"partition-key-name": "id"}}
            ]}
            """#.utf8
        ).write(to: mappings)
        let (captureEndpoint, applyEndpoint) = (OperationsEndpoint(), OperationsEndpoint())
        let common = ["--brokers", try brokers ?? TestStack.brokers, "--prefix", prefix]
        let capture = try ChildProcess(
            [try ferryExecutable(), "capture", "--source", url, "--table-mappings", mappings.path]
                + captureEndpoint.arguments + common,
            logPath: directory.appendingPathComponent("capture.log").path)
        let apply = try ChildProcess(
            [
                try ferryExecutable(), "apply", "--group", TestStack.uniqueName("g"), "--table-mappings", mappings.path,
                "--target-table-prep", "CREATE_IF_MISSING",
            ] + applyEndpoint.arguments + common,
            logPath: directory.appendingPathComponent("apply.log").path, environment: applyEnvironment)
        return OrdersPipeline(
            prefix: prefix, targetTable: targetTable, directory: directory, client: client, capture: capture, apply: apply,
            capturePort: try await captureEndpoint.port(of: capture), applyPort: try await applyEndpoint.port(of: apply))
    }

    /// The target table's items, once `isExpected` holds or the time is up.
    func items(within timeout: Duration = .seconds(90), until isExpected: ([DynamoDBItem]) -> Bool) async throws -> [DynamoDBItem] {
        try await ApplyTestTopic.items(of: targetTable, client: client, within: timeout, until: isExpected)
    }

    /// Both processes' recent output, for failure messages.
    var output: String { "capture:\n\(capture.output.suffix(1500))\napply:\n\(apply.output.suffix(1500))" }

    /// Drops the target table and closes the client (the processes are the test's to stop).
    func dropTarget() async {
        _ = try? await client.deleteTable(targetTable)
        try? await client.shutdown()
    }
}
