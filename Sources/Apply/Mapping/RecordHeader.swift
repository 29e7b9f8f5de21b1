import Foundation
import Shared

/// What a change record says about its change, for add-column expressions: the `$AR_H_…`/`$AR_M_…` header
/// variables and `operation_indicator()`. Values follow the DMS guide ("Using transformation rule expressions
/// to define column content"); during full load (op `r`) the operation is INSERT, the timestamps are when capture
/// read the row, and the stream position, change sequence and transaction id are empty strings.
public struct RecordHeader: Sendable, Hashable {
    let op: Shared.Operation
    let schema: String
    let table: String
    /// When capture produced the record (the envelope's `ts_ms`).
    let capturedAtMs: Int64
    /// The transaction's commit time in PostgreSQL (`source.ts_ms`).
    let commitTimeMs: Int64
    /// This change's own WAL position (`source.lsn`).
    let lsn: LSN
    let txId: Int64?
    let version: RecordVersion

    public init(_ record: ChangeRecord) {
        op = record.op
        schema = record.source.schema
        table = record.source.table
        capturedAtMs = record.tsMs
        commitTimeMs = record.source.tsMs
        lsn = record.source.lsn
        txId = record.source.txId
        version = record.version
    }

    var isFullLoad: Bool { op == .read }

    func value(of variable: HeaderVariable) -> SQLValue {
        switch variable {
        case .operation:
            switch op {
            case .read, .create: .text("INSERT")
            case .update: .text("UPDATE")
            case .delete: .text("DELETE")
            case .truncate: .text("TRUNCATE")
            }
        // pgoutput carries no time per change, only the commit's: both are the commit time during CDC.
        case .timestamp, .commitTimestamp:
            Self.dateTime(milliseconds: isFullLoad ? capturedAtMs : commitTimeMs)
        case .streamPosition:
            .text(isFullLoad ? "" : lsn.description)
        case .changeSequence:
            .text(isFullLoad ? "" : Self.changeSequence(version))
        case .transactionId:
            .text(isFullLoad ? "" : txId.map(String.init) ?? "")
        case .sourceSchema: .text(schema)
        case .sourceTable: .text(table)
        }
    }

    /// The item version's digits, zero-padded to DynamoDB's 38 so that the text sorts as the changes do.
    private static func changeSequence(_ version: RecordVersion) -> String {
        guard let digits = try? ItemVersion.number(for: version) else { return "" }
        return String(repeating: "0", count: max(0, 38 - digits.count)) + digits
    }

    /// `YYYY-MM-DD HH:MM:SS.SSS` in UTC: SQLite's own date-time text, so date functions read it.
    private static func dateTime(milliseconds: Int64) -> SQLValue {
        let arguments: [SQLValue] = [.text("%Y-%m-%d %H:%M:%f"), .real(Double(milliseconds) / 1000), .text("unixepoch")]
        return (try? SQLDateTime.call(.strftime, arguments, now: Date())) ?? .null
    }
}
