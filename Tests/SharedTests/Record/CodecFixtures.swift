@testable import Shared

/// Records shared by the codec and model tests.
enum CodecFixtures {
    static let source = SourceInfo(
        version: "0.1.0", name: "loanapp", db: "LoanApplication", schema: "dbo", table: "Payments",
        snapshot: false, txId: 755, lsn: LSN(rawValue: 0x16B_6F40), commitLSN: LSN(rawValue: 0x16B_7010), seq: 3,
        tsMs: 1_732_460_000_100)

    static let updateRecord = ChangeRecord(
        op: .update, tsMs: 1_732_460_000_123, source: source,
        key: ["PaymentId": 42],
        before: ["PaymentId": 42, "PaymentAmount": .number("10.00")],
        after: [
            "PaymentId": 42, "PaymentAmount": .number("12.34"), "PaymentDate": "2024-01-02T03:04:05.123456",
            "Paid": true, "Note": .null,
        ],
        types: [
            ColumnType(column: "PaymentId", typeName: "int4"), ColumnType(column: "PaymentAmount", typeName: "numeric"),
            ColumnType(column: "PaymentDate", typeName: "timestamp"), ColumnType(column: "Paid", typeName: "bool"),
            ColumnType(column: "Note", typeName: "text"), ColumnType(column: "Payload", typeName: "jsonb"),
        ],
        unchanged: ["Payload"])

    /// `updateRecord` encoded: field names, order and nesting exactly as docs/design.md shows them.
    static let updateRecordJSON =
        #"{"op":"u","ts_ms":1732460000123,"source":{"connector":"ferry","version":"0.1.0","name":"loanapp","#
        + #""db":"LoanApplication","schema":"dbo","table":"Payments","snapshot":false,"txId":755,"#
        + #""lsn":"0/16B6F40","commit_lsn":"0/16B7010","seq":3,"ts_ms":1732460000100},"#
        + #""key":{"PaymentId":42},"before":{"PaymentId":42,"PaymentAmount":10.00},"#
        + #""after":{"PaymentId":42,"PaymentAmount":12.34,"PaymentDate":"2024-01-02T03:04:05.123456","#
        + #""Paid":true,"Note":null},"#
        + #""types":{"PaymentId":"int4","PaymentAmount":"numeric","PaymentDate":"timestamp","Paid":"bool","#
        + #""Note":"text","Payload":"jsonb"},"unchanged":["Payload"]}"#
}
