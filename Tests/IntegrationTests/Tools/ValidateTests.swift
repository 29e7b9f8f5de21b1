import Apply
import Capture
import Foundation
import Shared
import Testing

/// `ferry validate` as operators run it: the real binary against the local PostgreSQL and DynamoDB endpoint, on
/// each test's own database and table.
@Suite("Validate")
struct ValidateTests {
    @Test func aFaithfulCopyPassesWithExactJSON() async throws {
        try await ValidateFixture.with { fixture in
            let run = try await fixture.validate(["--format", "json"])
            #expect(run.status == 0, "\(run.output)\(run.errors)")
            let lsn = try #require(Self.snapshotLSN(in: run.output))
            #expect(lsn >= fixture.setupLSN)
            let counts = #""source_rows":5,"target_items":5,"compared":5,"missing":0,"extra":0,"differing":0,"tolerated":0,"truncated":0"#
            #expect(
                run.output
                    == #"{"status":"OK","source":"\#(ConnectionTarget(fixture.sourceURL).redacted)","snapshot_lsn":"\#(lsn)","#
                    + #""mode":"full","sample_size":null,"version_attribute":"_ferry_version","#
                    + #""totals":{"tables":1,\#(counts)},"#
                    + #""tables":[{"table":"public.items","target_table":"\#(fixture.targetTable)","status":"OK","stopped_at_failure_limit":false,\#(counts),"differences":[]}]}"#
                    + "\n")
            #expect(!run.output.contains("ferry-local-password") && !run.errors.contains("ferry-local-password"))
        }
    }

    @Test func plantedDifferencesAreEachFound() async throws {
        try await ValidateFixture.with { fixture in
            try await fixture.delete(2)
            try await fixture.put(fixture.item(99, ["name": .s("stray")]))
            try await fixture.put(fixture.item(3, ["name": .s("GAMMA")]))
            try await fixture.put(fixture.item(4, ["price": .n("12.35")]))
            // DynamoDB's own spelling of an equal number is no difference.
            try await fixture.put(fixture.item(1, ["price": .n("10.5")]))

            let json = try await fixture.validate(["--format", "json"])
            #expect(json.status == 1, "\(json.output)\(json.errors)")
            let versioned =
                #""tolerated":false,"target_version":"\#(fixture.setupVersion)","target_commit_lsn":"\#(fixture.setupLSN)","#
            let differences = [
                #"{"kind":"missing","key":{"id":{"N":"2"}},"tolerated":false,"target_version":null,"target_commit_lsn":null,"attributes":[],"reason":null}"#,
                #"{"kind":"differing","key":{"id":{"N":"3"}},"# + versioned
                    + #""attributes":[{"name":"name","source":{"S":"gamma"},"target":{"S":"GAMMA"}}],"reason":null}"#,
                #"{"kind":"differing","key":{"id":{"N":"4"}},"# + versioned
                    + #""attributes":[{"name":"price","source":{"N":"12.34"},"target":{"N":"12.35"}}],"reason":null}"#,
                #"{"kind":"extra","key":{"id":{"N":"99"}},"# + versioned + #""attributes":[],"reason":null}"#,
            ]
            let counts = #""source_rows":5,"target_items":5,"compared":5,"missing":1,"extra":1,"differing":2,"tolerated":0,"truncated":0"#
            #expect(json.output.hasPrefix(#"{"status":"DIFF","#), "\(json.output)")
            #expect(
                json.output.hasSuffix(
                    #""status":"DIFF","stopped_at_failure_limit":false,"# + counts + #","differences":["#
                        + differences.joined(separator: ",") + "]}]}\n"),
                "\(json.output)")

            let table = try await fixture.validate([])
            #expect(table.status == 1, "\(table.output)\(table.errors)")
            let summary = table.output.split(separator: "\n").first { $0.hasPrefix("public.items ") }
                .map { $0.split(separator: " ").joined(separator: " ") }
            #expect(summary == "public.items \(fixture.targetTable) 5 5 1 1 2 0 DIFF", "\(table.output)")
            #expect(
                table.output.contains(
                    """
                    public.items → \(fixture.targetTable): 4 differences
                      missing     id=2
                      differing   id=3
                                  name: PostgreSQL "gamma", DynamoDB "GAMMA"
                      differing   id=4
                                  price: PostgreSQL 12.34, DynamoDB 12.35
                      extra       id=99

                    DIFF: 4 differences in 1 of 1 tables

                    """), "\(table.output)")
        }
    }

    @Test func anItemNewerThanTheSnapshotIsToleratedNotAFailure() async throws {
        try await ValidateFixture.with { fixture in
            let newer = try fixture.futureVersion
            try await fixture.put(fixture.item(5, ["name": .s("changed later"), ValidateFixture.versionAttribute: newer]))
            let run = try await fixture.validate(["--format", "json"])
            #expect(run.status == 0, "\(run.output)\(run.errors)")
            #expect(run.output.hasPrefix(#"{"status":"OK","#))
            #expect(run.output.contains(#""missing":0,"extra":0,"differing":0,"tolerated":1,"truncated":0,"differences":[{"kind":"differing","key":{"id":{"N":"5"}},"tolerated":true,"#))
            #expect(run.output.contains(#""attributes":[{"name":"name","source":{"S":"epsilon"},"target":{"S":"changed later"}}]"#))

            let table = try await fixture.validate([])
            #expect(table.status == 0)
            #expect(table.output.contains("  differing   id=5  newer in DynamoDB (committed at "), "\(table.output)")
            #expect(table.output.hasSuffix("\nOK: 1 table match (1 newer in DynamoDB, tolerated)\n"), "\(table.output)")
        }
    }

    @Test func aSampleOfEveryRowFindsAPlantedDifference() async throws {
        try await ValidateFixture.with { fixture in
            try await fixture.put(fixture.item(2, ["price": .n("0.02")]))
            let run = try await fixture.validate(["--sample", "100", "--format", "json"])
            #expect(run.status == 1, "\(run.output)\(run.errors)")
            #expect(run.output.contains(#""mode":"sample","sample_size":100,"#))
            #expect(run.output.contains(#""source_rows":5,"target_items":5,"compared":5,"missing":0,"extra":null,"differing":1,"tolerated":0,"truncated":0,"#))
            #expect(run.output.contains(#""attributes":[{"name":"price","source":{"N":"0.01"},"target":{"N":"0.02"}}]"#))
        }
    }

    /// Capture reads only the rows a selection filter takes, so apply writes no items for the others: validate
    /// compares the same rows, in full and in a sample, and refuses a filter that does not fit the table.
    @Test func selectionFiltersLeaveTheRowsCaptureSkipsOutOfTheComparison() async throws {
        try await ValidateFixture.with { fixture in
            try await fixture.delete(2)
            try await fixture.delete(4)
            func mappings(_ filter: String) throws -> String {
                let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(fixture.targetTable)-filter.json").path
                let text = """
                    {"rules": [
                      {"rule-type": "selection", "rule-id": "1", "rule-action": "include",
                       "object-locator": {"schema-name": "public", "table-name": "%"}, "filters": [\(filter)]},
                      {"rule-type": "object-mapping", "rule-id": "2", "rule-action": "map-record-to-record",
                       "object-locator": {"schema-name": "public", "table-name": "items"},
                       "target-table-name": "\(fixture.targetTable)", "mapping-parameters": {"partition-key-name": "id"}}]}
                    """
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
                return path
            }
            let filtered = try mappings(
                #"{"filter-type": "source", "column-name": "name", "filter-conditions": [{"filter-operator": "eq", "value": "alpha"}, {"filter-operator": "gte", "value": "epsilon"}]}"#
            )
            let counts = #""source_rows":3,"target_items":3,"compared":3,"missing":0,"#
            let full = try await fixture.validate(["--format", "json"], mappings: filtered)
            #expect(full.status == 0, "\(full.output)\(full.errors)")
            #expect(full.output.contains(counts + #""extra":0,"differing":0"#), "\(full.output)")
            let sample = try await fixture.validate(["--sample", "100", "--format", "json"], mappings: filtered)
            #expect(sample.status == 0, "\(sample.output)\(sample.errors)")
            #expect(sample.output.contains(counts + #""extra":null,"differing":0"#), "\(sample.output)")

            let unfit = try mappings(
                #"{"filter-type": "source", "column-name": "price", "filter-conditions": [{"filter-operator": "gte", "value": "cheap"}]}"#
            )
            let refused = try await fixture.validate([], mappings: unfit)
            #expect(refused.status == 2)
            #expect(
                refused.errors.contains(
                    "table public.items: table mappings, rule-id 1: 'cheap' is not a value of column 'price' (numeric)"),
                "\(refused.errors)")
        }
    }

    /// An item apply's limited LOB mode cut names the cut attributes (`_ferry_truncated`): a value that is a prefix
    /// of the row's counts as truncated, not as a difference; a named value that is not a prefix still differs.
    @Test func valuesCutByLimitedLobModeAreTruncatedNotDifferences() async throws {
        try await ValidateFixture.with { fixture in
            try await fixture.put(fixture.item(2, ["note": .s("sec"), "_ferry_truncated": .ss(["note"])]))
            let cut = try await fixture.validate(["--format", "json"])
            #expect(cut.status == 0, "\(cut.output)\(cut.errors)")
            #expect(cut.output.contains(#""missing":0,"extra":0,"differing":0,"tolerated":0,"truncated":1,"#), "\(cut.output)")

            try await fixture.put(fixture.item(4, ["name": .s("DEL"), "_ferry_truncated": .ss(["name"])]))
            let table = try await fixture.validate([])
            #expect(table.status == 1, "\(table.output)\(table.errors)")
            #expect(
                table.output.contains(
                    """
                      differing   id=4
                                  name: PostgreSQL "delta", DynamoDB "DEL"

                    DIFF: 1 difference in 1 of 1 tables (1 with values cut by limited LOB mode)

                    """), "\(table.output)")
        }
    }

    /// `--parallel-tables 2`: two tables compared at once, each on its own session in the one snapshot, each
    /// report as if compared alone.
    @Test func tablesComparedInParallelAreEachReported() async throws {
        try await ValidateFixture.with { fixture in
            let other = "\(fixture.targetTable)_b"
            let connection = try await PostgresConnection.connect(fixture.sourceURL)
            try await connection.query(
                "CREATE TABLE \(other) (id int PRIMARY KEY, label text); INSERT INTO \(other) VALUES (1, 'one'), (2, 'two')")
            try await fixture.client.createTable(
                CreateTableInput(
                    tableName: other, attributeDefinitions: [AttributeDefinition("id", .n)],
                    keySchema: [KeySchemaElement("id", .hash)]))
            defer { Task { _ = try? await fixture.client.deleteTable(other) } }
            try await fixture.client.waitUntilActive(table: other, timeout: .seconds(20))
            for (id, label) in [(1, "one"), (2, "TWO")] {
                try await fixture.client.putItem(
                    PutItemInput(tableName: other, item: ["id": .n(String(id)), "label": .s(label), "_ferry_version": .n(fixture.setupVersion)]))
            }
            let run = try await fixture.validate(["--parallel-tables", "2", "--format", "json"])
            #expect(run.status == 1, "\(run.output)\(run.errors)")
            #expect(
                run.output.contains(
                    #"{"table":"public.items","target_table":"\#(fixture.targetTable)","status":"OK","stopped_at_failure_limit":false,"#
                        + #""source_rows":5,"target_items":5,"compared":5,"missing":0,"extra":0,"differing":0,"#), "\(run.output)")
            #expect(
                run.output.contains(
                    #"{"table":"public.\#(other)","target_table":"\#(other)","status":"DIFF","stopped_at_failure_limit":false,"#
                        + #""source_rows":2,"target_items":2,"compared":2,"missing":0,"extra":0,"differing":1,"#), "\(run.output)")
        }
    }

    /// `EnableValidation: true` makes validate periodic; `--every once` keeps it to one run, and the start-up block
    /// says so. `--http` without a period is refused: there would be nothing to serve.
    @Test func taskSettingsAreReportedAndEveryOnceWinsOverEnableValidation() async throws {
        try await ValidateFixture.with { fixture in
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(fixture.targetTable)-settings.json").path
            try Data(#"{"ValidationSettings": {"EnableValidation": true, "ThreadCount": 4}}"#.utf8)
                .write(to: URL(fileURLWithPath: path))
            let once = try await fixture.validate(["--task-settings", path, "--every", "once"])
            #expect(once.status == 0, "\(once.output)\(once.errors)")
            #expect(once.errors.contains("ValidationSettings.EnableValidation = true (--every given)"), "\(once.errors)")
            #expect(once.errors.contains("ValidationSettings.ThreadCount = 4 -> --parallel-tables 4"), "\(once.errors)")
            #expect(once.output.hasSuffix("\nOK: 1 table match\n"), "\(once.output)")

            let refused = try await fixture.validate(["--http", "127.0.0.1:0"])
            #expect(refused.status == 2)
            #expect(refused.errors.contains("--http serves a periodic validation"), "\(refused.errors)")
        }
    }

    @Test func aMissingTargetTableIsAnErrorNotADifference() async throws {
        try await ValidateFixture.with { fixture in
            _ = try await fixture.client.deleteTable(fixture.targetTable)
            let run = try await fixture.validate([])
            #expect(run.status == 2)
            #expect(run.output.isEmpty)
            #expect(run.errors.contains("DynamoDB table \(fixture.targetTable) (the target of public.items) does not exist"), "\(run.errors)")
        }
    }
}

extension ValidateTests {
    /// The `snapshot_lsn` a JSON report gives.
    static func snapshotLSN(in json: String) -> LSN? {
        guard let start = json.range(of: #""snapshot_lsn":""#) else { return nil }
        return LSN(String(json[start.upperBound...].prefix { $0 != "\"" }))
    }
}
