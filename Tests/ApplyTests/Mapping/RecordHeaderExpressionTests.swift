import Shared
import Testing

@testable import Apply

/// `$AR_H_…`/`$AR_M_…` header variables and `operation_indicator()` in add-column expressions, filled from the
/// change record as the DMS guide defines them, and the soft delete operation_indicator implies.
@Suite("Record header expressions")
struct RecordHeaderExpressionTests {
    static func addColumn(_ id: Int, _ name: String, _ expression: String) -> String {
        """
        {"rule-type": "transformation", "rule-id": "\(id)", "rule-name": "\(id)", "rule-target": "column",
         "object-locator": {"schema-name": "public", "table-name": "t"}, "rule-action": "add-column",
         "value": "\(name)", "expression": "\(expression)", "data-type": {"type": "string", "length": 50}}
        """
    }

    let types = [ColumnType(column: "id", typeName: "int4"), ColumnType(column: "name", typeName: "text")]
    let origin = MessageOrigin(topic: "p.public.t", partition: 0, offset: 1)

    func mapper(_ rules: String...) throws -> ItemMapper {
        try ItemMapper(
            mappings: tableMappings(document(withRules: rules.joined(separator: ","))), schema: "public", table: "t",
            primaryKey: ["id"])
    }

    /// A record of row 1: committed 2024-11-24 15:33:01.250 UTC in transaction 755 at 0/16B7010, read by capture
    /// 2024-11-24 15:33:02.5.
    func record(_ op: Shared.Operation) -> ChangeRecord {
        ChangeRecord(
            op: op, tsMs: 1_732_462_382_500,
            source: SourceInfo(
                version: "t", name: "p", db: "d", schema: "public", table: "t", snapshot: op == .read,
                txId: op == .read ? nil : 755, lsn: LSN(rawValue: 0x16B_6F40), commitLSN: LSN(rawValue: 0x16B_7010),
                seq: op == .read ? -1 : 3, tsMs: 1_732_462_381_250),
            key: ["id": .integer(1)], before: op == .delete ? ["id": .integer(1)] : nil,
            after: op == .delete ? nil : ["id": .integer(1), "name": .string("a")], types: types, unchanged: [])
    }

    func write(_ record: ChangeRecord, _ mapper: ItemMapper) throws -> ItemWrite {
        try ItemWriteBuilder.write(for: record, mapper: mapper, versionAttribute: "_v", origin: origin)
    }

    func item(_ record: ChangeRecord, _ mapper: ItemMapper) throws -> DynamoDBItem {
        guard case .put(let item) = try write(record, mapper).action else {
            Issue.record("not a put")
            return [:]
        }
        return item
    }

    static let variables = [
        "op": "$AR_H_OPERATION", "ts": "$AR_H_TIMESTAMP", "commit_ts": "$AR_H_COMMIT_TIMESTAMP",
        "seq": "$AR_H_CHANGE_SEQ", "pos": "$AR_H_STREAM_POSITION", "tx": "$AR_H_TRANSACTION_ID",
        "schema": "$AR_M_SOURCE_SCHEMA", "table": "$AR_M_SOURCE_TABLE_NAME",
    ]

    func everyVariable() throws -> ItemMapper {
        let rules = Self.variables.sorted { $0.key < $1.key }.enumerated().map { index, variable in
            Self.addColumn(index + 2, variable.key, variable.value)
        }
        return try ItemMapper(
            mappings: tableMappings(document(withRules: rules.joined(separator: ","))), schema: "public", table: "t",
            primaryKey: ["id"])
    }

    @Test func duringChangeProcessingTheVariablesDescribeTheChange() throws {
        let mapper = try everyVariable()
        let update = try item(record(.update), mapper)
        #expect(update["op"] == .s("UPDATE"))
        // pgoutput has no time per change: both are the commit time.
        #expect(update["ts"] == .s("2024-11-24 15:33:01.250"))
        #expect(update["commit_ts"] == .s("2024-11-24 15:33:01.250"))
        // The item version (commit LSN 0x16B7010 = 23818256, seq 3), zero-padded to 38 digits.
        #expect(update["seq"] == .s(String(repeating: "0", count: 20) + "238182560000000004"))
        #expect(update["pos"] == .s("0/16B6F40"))
        #expect(update["tx"] == .s("755"))
        #expect(update["schema"] == .s("public"))
        #expect(update["table"] == .s("t"))
        #expect(try item(record(.create), mapper)["op"] == .s("INSERT"))
    }

    @Test func duringFullLoadTheOperationIsInsertAndThePositionsAreEmpty() throws {
        let read = try item(record(.read), try everyVariable())
        #expect(read["op"] == .s("INSERT"))
        // When capture read the row ("the current time" in DMS), the same on every replay.
        #expect(read["ts"] == .s("2024-11-24 15:33:02.500"))
        #expect(read["commit_ts"] == .s("2024-11-24 15:33:02.500"))
        #expect(read["seq"] == .s(""))
        #expect(read["pos"] == .s(""))
        #expect(read["tx"] == .s(""))
    }

    @Test func dateFunctionsReadTheTimestamps() throws {
        let mapper = try mapper(Self.addColumn(2, "day", "date($AR_H_COMMIT_TIMESTAMP)"))
        #expect(try item(record(.update), mapper)["day"] == .s("2024-11-24"))
    }

    @Test func operationIndicatorFlagsInsertsAndUpdates() throws {
        let mapper = try mapper(Self.addColumn(2, "Operation", "operation_indicator('D', 'U', 'I')"))
        #expect(try item(record(.read), mapper)["Operation"] == .s("I"))
        #expect(try item(record(.create), mapper)["Operation"] == .s("I"))
        #expect(try item(record(.update), mapper)["Operation"] == .s("U"))
    }

    /// As in DMS, a row deleted at the source is not deleted at the target: its item is flagged.
    @Test func aDeleteWithOperationIndicatorKeepsTheItemFlagged() throws {
        let mapper = try mapper(
            Self.addColumn(2, "Operation", "operation_indicator('D', 'U', 'I')"),
            Self.addColumn(3, "deleted_at", "CASE $AR_H_OPERATION WHEN 'DELETE' THEN $AR_H_COMMIT_TIMESTAMP END"),
            Self.addColumn(4, "shout", "upper($name)"))
        #expect(mapper.softDeletes)
        let delete = try write(record(.delete), mapper)
        #expect(delete.op == .delete)
        #expect(delete.key == ["id": .n("1")])
        // `shout` needs `name`, which the delete does not carry: the item keeps its value.
        #expect(delete.action == .update(set: ["Operation": .s("D"), "deleted_at": .s("2024-11-24 15:33:01.250")], remove: []))
        // The next change of the row is a put again, which CASE's NULL leaves without deleted_at.
        #expect(try item(record(.update), mapper)["deleted_at"] == nil)
    }

    @Test func withoutOperationIndicatorADeleteDeletes() throws {
        let mapper = try mapper(Self.addColumn(2, "op", "$AR_H_OPERATION"))
        #expect(!mapper.softDeletes)
        #expect(try write(record(.delete), mapper).action == .delete)
    }

    /// `ferry validate` maps rows read from PostgreSQL, without a record: header columns are left out, and named
    /// so that it does not compare them.
    @Test func aRowWithoutItsRecordLeavesHeaderColumnsOut() throws {
        let mapper = try mapper(Self.addColumn(2, "op", "$AR_H_OPERATION"), Self.addColumn(3, "shout", "upper($name)"))
        let item = try mapper.item(for: ["id": .integer(1), "name": .string("a")], types: types)
        #expect(item == ["id": .n("1"), "name": .s("a"), "shout": .s("A")])
        #expect(mapper.recordHeaderAttributes == ["op"])
    }

    @Test func operationIndicatorIsRefusedForDocuments() throws {
        let objectMapping = """
            {"rule-type": "object-mapping", "rule-id": "9", "rule-name": "9", "rule-action": "map-record-to-document",
             "object-locator": {"schema-name": "public", "table-name": "t"},
             "mapping-parameters": {"partition-key-name": "id"}}
            """
        #expect(throws: MappingConfigurationError.operationIndicatorInDocument(ruleId: "2", table: "public.t")) {
            try mapper(Self.addColumn(2, "Operation", "operation_indicator('D', 'U', 'I')"), objectMapping)
        }
    }
}
