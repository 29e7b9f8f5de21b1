import Apply
import Foundation
import Shared
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `ferry apply` behind scripts/fault-proxy.py, which throttles, fails with 500s, drops connections (before and
/// after forwarding), answers slowly and leaves BatchWriteItem items unprocessed: the table still ends exact, and
/// the retries show in `ferry_dynamodb_retries_total`.
@Suite("Apply through a faulty DynamoDB endpoint")
struct ApplyFaultTests {
    @Test(arguments: [ApplyOptions.WriteMode.conditional, .bulk])
    func appliesExactlyThroughInjectedFaults(mode: ApplyOptions.WriteMode) async throws {
        let topic = try await ApplyTestTopic("faults_\(mode.rawValue)")
        defer { Task { await topic.dropTable() } }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(topic.prefix)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let mappingsPath = directory.appendingPathComponent("table-mappings.json").path
        try Data(topic.mappingsDocument.utf8).write(to: URL(fileURLWithPath: mappingsPath))

        let faultProxy = try await FaultProxy.start(slowSeconds: 0.3, logPath: directory.appendingPathComponent("proxy.log").path)
        let (proxy, proxyPort) = (faultProxy.process, faultProxy.port)

        let rows = 240
        let deleted = Set(211...240)
        try await topic.produce((1...rows).map { id in
            topic.record(.create, id: id, after: row(id, name: "created", note: "note \(id)"), lsn: UInt64(100 + id))
        })
        let endpoint = OperationsEndpoint()
        let group = TestStack.uniqueName("g")
        let apply = try ChildProcess(
            [
                try ferryExecutable(), "apply", "--brokers", try TestStack.brokers, "--prefix", topic.prefix,
                "--group", group, "--table-mappings", mappingsPath,
                "--target-table-prep", "CREATE_IF_MISSING", "--concurrency", "8", "--write-mode", mode.rawValue,
            ] + endpoint.arguments,
            logPath: directory.appendingPathComponent("apply.log").path,
            environment: ["AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:\(proxyPort)"])
        let httpPort = try await endpoint.port(of: apply)
        let loaded = try await topic.items(within: .seconds(120)) { $0.count == rows }
        #expect(loaded.count == rows, "\(apply.output.suffix(2000))")

        // Full updates 1–60, partial updates (note unchanged) 61–120, deletes 211–240: in a later poll batch, so
        // bulk mode also sends single conditional UpdateItems.
        let changes: [ChangeRecord] =
            (1...60).map { topic.record(.update, id: $0, after: row($0, name: "updated", note: "new \($0)"), lsn: UInt64(1000 + $0)) }
            + (61...120).map { id in
                topic.record(
                    .update, id: id, after: ["id": .integer(id), "name": .string("patched"), "amount": .integer(2)],
                    lsn: UInt64(1000 + id), unchanged: ["note"])
            }
            + deleted.sorted().map { topic.record(.delete, id: $0, lsn: UInt64(1000 + $0)) }
        try await topic.produce(changes)

        let expected: [Int: (name: String, note: String)] = Dictionary(
            uniqueKeysWithValues: (1...rows).filter { !deleted.contains($0) }.map { id in
                switch id {
                case 1...60: (id, ("updated", "new \(id)"))
                case 61...120: (id, ("patched", "note \(id)"))
                default: (id, ("created", "note \(id)"))
                }
            })
        let matches: ([DynamoDBItem]) -> Bool = { items in
            items.count == expected.count && items.allSatisfy { item in
                let id = ApplyTestTopic.id(of: item)
                return item["name"] == .s(expected[id]?.name ?? "-") && item["note"] == .s(expected[id]?.note ?? "-")
            }
        }
        let items = try await topic.items(within: .seconds(180), until: matches)
        #expect(matches(items), "\(items.count) items; apply log:\n\(apply.output.suffix(3000))")
        #expect(try await topic.waitForCommit(group: group, count: Int64(rows + changes.count)))

        let injected = try JSONParser.parse(Array(try await HTTPTestConnection.send(.GET, "/__faults", port: proxyPort).body.utf8))
        let metrics = try await HTTPTestConnection.send(.GET, "/metrics", port: httpPort).body
        var reasons = ["throttling": "throttle", "server_error": "server_error", "connection": "drop_before"]
        if mode == .bulk { reasons["unprocessed_items"] = "unprocessed" }
        for (reason, fault) in reasons {
            guard case .object(let counts) = injected, case .number(let digits)? = counts[fault], Int(digits) ?? 0 > 0 else {
                Issue.record("the proxy injected no \(fault): \(injected)")
                continue
            }
            #expect(retries(in: metrics, reason: reason) > 0, "no \(reason) retries in:\n\(metrics)")
        }
        apply.signal(SIGTERM)
        #expect(try await apply.wait() == 0, "\(apply.output.suffix(2000))")
        proxy.signal(SIGTERM)
        _ = try await proxy.wait()
    }

    /// The sum of `ferry_dynamodb_retries_total` samples with this reason.
    private func retries(in metrics: String, reason: String) -> Double {
        metrics.split(separator: "\n")
            .filter { $0.hasPrefix("ferry_dynamodb_retries_total{") && $0.contains(#"reason="\#(reason)""#) }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
            .reduce(0, +)
    }
}
