/// The DMS header variables (`$AR_H_…`, `$AR_M_…`) an add-column expression can read: what a change record says
/// about its change rather than its row. Filled from the record by `RecordHeader`.
enum HeaderVariable: String, Sendable, Hashable, CaseIterable {
    case operation = "AR_H_OPERATION"
    case timestamp = "AR_H_TIMESTAMP"
    case commitTimestamp = "AR_H_COMMIT_TIMESTAMP"
    case changeSequence = "AR_H_CHANGE_SEQ"
    case streamPosition = "AR_H_STREAM_POSITION"
    case transactionId = "AR_H_TRANSACTION_ID"
    case sourceSchema = "AR_M_SOURCE_SCHEMA"
    case sourceTable = "AR_M_SOURCE_TABLE_NAME"

    /// Whether `name` (without `$`) is in the header variables' namespace rather than a column's.
    static func isHeaderName(_ name: String) -> Bool {
        name.hasPrefix("AR_H_") || name.hasPrefix("AR_M_")
    }

    /// Why a header name that is not a case here cannot be evaluated.
    static func refusal(of name: String) -> String {
        switch name {
        case "AR_H_USER":
            "$AR_H_USER is not available: PostgreSQL's logical decoding (pgoutput) does not say which user made a change"
        case "AR_M_SOURCE_COLUMN_NAME", "AR_M_SOURCE_COLUMN_DATATYPE":
            "$\(name) is not available: an add-column rule names no source column"
        default:
            "unknown header variable $\(name) (known: \(allCases.map { "$" + $0.rawValue }.joined(separator: ", ")))"
        }
    }
}
