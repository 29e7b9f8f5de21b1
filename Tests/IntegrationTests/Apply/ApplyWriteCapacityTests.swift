import Apply
import Foundation
import Shared
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `ferry apply` against a table provisioned with 40 write capacity units per second (scripts/fault-proxy.py
/// `--capacity`, which counts units as DynamoDB does and throttles above them): with `--max-write-capacity 40`,
/// and with `--write-capacity adaptive` finding the rate from the throttling answers, the table ends exact and few
/// requests are throttled. (The rate achieved once settled is measured by bench/apply-provisioned.sh.)
@Suite("Apply within a table's provisioned write capacity")
struct ApplyWriteCapacityTests {
    static let capacity = 40.0

    enum Limit: String, CaseIterable {
        case fixed, adaptive

        var arguments: [String] {
            switch self {
            case .fixed: ["--max-write-capacity", "\(Int(ApplyWriteCapacityTests.capacity))"]
            case .adaptive: ["--write-capacity", "adaptive"]
            }
        }

        /// The share of requests the proxy may throttle: almost none when apply knows the rate; in adaptive mode,
        /// some more while apply learns it (it sends unchecked until the first throttle). Without a limit, a quarter
        /// of the requests were throttled (63 of 263, 60 of 260).
        var throttledShare: Double {
            switch self {
            case .fixed: 0.05
            case .adaptive: 0.10
            }
        }
    }

    @Test(arguments: Limit.allCases)
    func appliesExactlyWithinTheCapacity(limit: Limit) async throws {
        let topic = try await ApplyTestTopic("capacity_\(limit.rawValue)")
        defer { Task { await topic.dropTable() } }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(topic.prefix)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let mappingsPath = directory.appendingPathComponent("table-mappings.json").path
        try Data(topic.mappingsDocument.utf8).write(to: URL(fileURLWithPath: mappingsPath))
        let proxy = try await FaultProxy.start(
            capacity: Self.capacity, logPath: directory.appendingPathComponent("proxy.log").path)

        // 200 inserts, then 40 updates and 20 deletes: about 260 units, 6.5 s at 40 a second.
        let rows = 200
        let deleted = Set(181...200)
        let records: [ChangeRecord] =
            (1...rows).map { topic.record(.create, id: $0, after: row($0, name: "created"), lsn: UInt64(100 + $0)) }
            + (1...40).map { topic.record(.update, id: $0, after: row($0, name: "updated"), lsn: UInt64(1000 + $0)) }
            + deleted.sorted().map { topic.record(.delete, id: $0, lsn: UInt64(1000 + $0)) }
        try await topic.produce(records)

        let group = TestStack.uniqueName("g")
        let apply = try ChildProcess(
            [
                try ferryExecutable(), "apply", "--brokers", try TestStack.brokers, "--prefix", topic.prefix,
                "--group", group, "--table-mappings", mappingsPath,
                "--target-table-prep", "CREATE_IF_MISSING", "--concurrency", "8",
            ] + limit.arguments,
            logPath: directory.appendingPathComponent("apply.log").path,
            environment: ["AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:\(proxy.port)"])

        let matches: ([DynamoDBItem]) -> Bool = { items in
            items.count == rows - deleted.count && items.allSatisfy { item in
                item["name"] == .s(ApplyTestTopic.id(of: item) <= 40 ? "updated" : "created")
            }
        }
        let items = try await topic.items(within: .seconds(120), until: matches)
        #expect(matches(items), "\(items.count) items; apply log:\n\(apply.output.suffix(3000))")
        #expect(try await topic.waitForCommit(group: group, count: Int64(records.count)))

        let report = try JSONParser.parse(Array(try await HTTPTestConnection.send(.GET, "/__faults", port: proxy.port).body.utf8))
        guard case .object(let document) = report, case .object(let tables)? = document["tables"],
            case .object(let table)? = tables[topic.targetTable],
            case .number(let requests)? = table["requests"], case .number(let throttled)? = table["throttled"],
            let sent = Double(requests), let refused = Double(throttled)
        else {
            Issue.record("no writes to \(topic.targetTable) in the proxy's report: \(report)")
            return
        }
        #expect(
            refused / sent <= limit.throttledShare,
            "\(Int(refused)) of \(Int(sent)) requests throttled; proxy report: \(report)")
        apply.signal(SIGTERM)
        #expect(try await apply.wait() == 0, "\(apply.output.suffix(2000))")
        proxy.process.signal(SIGTERM)
        _ = try await proxy.process.wait()
    }
}
