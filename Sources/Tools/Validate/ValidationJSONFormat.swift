import Apply
import Shared

/// The report for programs: one JSON document, keys in a fixed order, counts as exact integers, keys and values in
/// DynamoDB JSON (`{"N":"10.5"}`) so nothing is lost, item versions as strings (30 digits do not fit a double).
///
/// ```
/// {"status":"DIFF","source":"postgresql://ferry:***@db/loans","snapshot_lsn":"0/1A2B3C4","mode":"full",
///  "sample_size":null,"version_attribute":"_ferry_version",
///  "totals":{"tables":1,"source_rows":5,"target_items":5,"compared":5,"missing":1,"extra":1,"differing":1,"tolerated":0,
///    "truncated":0},
///  "tables":[{"table":"public.loans","target_table":"Loans","status":"DIFF","stopped_at_failure_limit":false,
///    "source_rows":5,"target_items":5,"compared":5,"missing":1,"extra":1,"differing":1,"tolerated":0,"truncated":0,
///    "differences":[
///      {"kind":"differing","key":{"id":{"N":"3"}},"tolerated":false,"target_version":"…","target_commit_lsn":"0/…",
///       "attributes":[{"name":"amount","source":{"N":"10.50"},"target":{"N":"10.51"}}],"reason":null}]}]}
/// ```
/// `extra` is null with `--sample` (a sample cannot find items without rows). `truncated` counts items whose only
/// differences are values limited LOB mode cut (not failures).
public enum ValidationJSONFormat {
    public static func render(_ report: ValidationReport) -> String {
        let document: JSONObject = [
            "status": .string(report.statusWord),
            "source": .string(report.source),
            "snapshot_lsn": .string(report.snapshotLSN.description),
            "mode": .string(report.sampleSize == nil ? "full" : "sample"),
            "sample_size": report.sampleSize.map { .integer($0) } ?? .null,
            "version_attribute": .string(report.versionAttribute),
            "totals": .object(JSONObject([("tables", .integer(report.tables.count))] + counts(report.tables))),
            "tables": .array(report.tables.map(table)),
        ]
        return String(decoding: JSONValue.object(document).jsonBytes, as: UTF8.self) + "\n"
    }

    private static func table(_ table: TableReport) -> JSONValue {
        let identity: [(String, JSONValue)] = [
            ("table", .string(table.table.description)), ("target_table", .string(table.targetTable)),
            ("status", .string(table.statusWord)), ("stopped_at_failure_limit", .bool(table.stoppedAtFailureLimit)),
        ]
        return .object(
            JSONObject(identity + counts([table]) + [("differences", .array(table.differences.map(difference)))]))
    }

    /// The count fields summed over `tables`; `extra` is null when a table was sampled.
    private static func counts(_ tables: [TableReport]) -> [(String, JSONValue)] {
        func sum(_ count: (TableReport) -> Int) -> JSONValue { .integer(tables.reduce(0) { $0 + count($1) }) }
        return [
            ("source_rows", sum(\.sourceRows)), ("target_items", sum(\.targetItems)), ("compared", sum(\.compared)),
            ("missing", sum(\.missing)),
            ("extra", tables.contains(where: \.isSample) ? .null : sum { $0.extra ?? 0 }),
            ("differing", sum(\.differing)), ("tolerated", sum(\.tolerated)), ("truncated", sum(\.truncated)),
        ]
    }

    private static func difference(_ difference: Difference) -> JSONValue {
        [
            "kind": .string(difference.kind.rawValue),
            "key": difference.key.dynamoDBJSON,
            "tolerated": .bool(difference.isTolerated),
            "target_version": difference.targetVersion.map(JSONValue.string) ?? .null,
            "target_commit_lsn": difference.targetCommitLSN.map { .string($0.description) } ?? .null,
            "attributes": .array(
                difference.attributes.map { attribute in
                    [
                        "name": .string(attribute.name),
                        "source": attribute.source?.dynamoDBJSON ?? .null,
                        "target": attribute.target?.dynamoDBJSON ?? .null,
                    ]
                }),
            "reason": difference.reason.map(JSONValue.string) ?? .null,
        ]
    }
}
