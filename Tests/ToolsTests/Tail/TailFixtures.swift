import Shared

@testable import Tools

/// Records and messages shared by the tail tests.
enum TailFixtures {
    static let topic = "loanapp.dbo.Payments"

    static func source(lsn: UInt64 = 0x16B_6F40, seq: Int64 = 3) -> SourceInfo {
        SourceInfo(
            version: "0.1.0", name: "loanapp", db: "LoanApplication", schema: "dbo", table: "Payments",
            snapshot: false, txId: 755, lsn: LSN(rawValue: lsn), commitLSN: LSN(rawValue: 0x16B_7010), seq: seq,
            tsMs: 1_732_460_000_100)
    }

    static let update = ChangeRecord(
        op: .update, tsMs: 1_732_460_000_123, source: source(),
        key: ["PaymentId": 42],
        before: ["PaymentId": 42, "PaymentAmount": .number("10.00"), "Status": "open"],
        after: ["PaymentId": 42, "PaymentAmount": .number("12.34"), "Status": "open"],
        types: [
            ColumnType(column: "PaymentId", typeName: "int4"), ColumnType(column: "PaymentAmount", typeName: "numeric"),
            ColumnType(column: "Status", typeName: "text"), ColumnType(column: "Payload", typeName: "jsonb"),
        ],
        unchanged: ["Payload"])

    static let create = ChangeRecord(
        op: .create, tsMs: 1_732_460_000_123, source: source(),
        key: ["PaymentId": 7],
        before: nil,
        after: ["PaymentId": 7, "PaymentAmount": .number("99999999999999999999.01"), "Status": "new"])

    static func message(
        _ record: ChangeRecord, offset: Int64 = 17, partition: Int32 = 0, timestampMs: Int64? = 1_732_460_000_200
    ) -> TailMessage {
        TailMessage(
            topic: topic, partition: partition, offset: offset, timestampMs: timestampMs,
            key: record.key.map { ChangeRecordCodec.encodeKey($0) }, value: ChangeRecordCodec.encodeValue(record))
    }

    static func entry(_ record: ChangeRecord, offset: Int64 = 17) -> TailEntry {
        TailEntry(decoding: message(record, offset: offset))
    }

    static func rawEntry(key: String?, value: String?, offset: Int64 = 18) -> TailEntry {
        TailEntry(
            decoding: TailMessage(
                topic: topic, partition: 0, offset: offset, timestampMs: 1_732_460_000_300, key: key.map { Array($0.utf8) },
                value: value.map { Array($0.utf8) }))
    }
}
