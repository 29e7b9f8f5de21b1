import Apply
import Capture

/// Why `ferry validate` could not compare (exit status 2), each message naming what was being read and what to
/// check. The source URL in messages always has its password hidden.
public enum ValidateError: Error, CustomStringConvertible {
    case cannotConnect(ConnectionFailure)
    /// Named tables that do not exist, a selection that matches nothing, tables without a key or not readable.
    case sourceNotReady(source: String, problems: [PreflightProblem])
    /// `--tables` named tables the mappings' selection rules leave out: apply writes no items for them.
    case notSelectedByMappings([QualifiedTableName])
    case mapping(table: QualifiedTableName, MappingConfigurationError)
    case targetTableMissing(table: QualifiedTableName, target: String)
    /// A PostgreSQL query or COPY failed mid-way (`what` says which).
    case sourceReadFailed(source: String, what: String, underlying: any Error)
    /// A DynamoDB call failed (after the client's retries).
    case targetReadFailed(target: String, underlying: any Error)
    /// The run was cancelled (a shutdown) before it finished.
    case cancelled

    public var description: String {
        switch self {
        case .cannotConnect(let failure):
            return failure.description
        case .sourceNotReady(let source, let problems):
            return "Cannot validate the tables of \(source):\n" + PreflightProblem.numberedList(problems)
        case .notSelectedByMappings(let tables):
            return "--tables names \(tables.map(\.description).joined(separator: ", ")), which the selection rules of "
                + "the table mappings do not select: apply writes no items for them. Name selected tables, or leave "
                + "out --tables to validate every selected table."
        case .mapping(let table, let error):
            return "The table mappings cannot map \(table): \(error)"
        case .targetTableMissing(let table, let target):
            return "DynamoDB table \(target) (the target of \(table)) does not exist at the configured endpoint "
                + "and region. Check AWS_REGION / AWS_ENDPOINT_URL_DYNAMODB and the mapping's target-table-name."
        case .sourceReadFailed(let source, let what, let underlying):
            return "Reading \(what) from \(source) failed: \(underlying)"
        case .targetReadFailed(let target, let underlying):
            return "Reading DynamoDB table \(target) failed: \(underlying)"
        case .cancelled:
            return "The validation was cancelled before it finished"
        }
    }

    /// Whether the next run may succeed where this one failed: a lost or refused connection, a server restarting,
    /// DynamoDB throttling or failing after the client's retries. A missing table, a denied permission, a mapping
    /// that does not fit will fail every run the same way (`ferry validate --every` stops on those).
    public var isTransient: Bool {
        switch self {
        case .cannotConnect(let failure): failure.isTransient
        case .sourceReadFailed(_, _, let underlying): CaptureFailure.isTransient(underlying)
        case .targetReadFailed(_, let underlying): (underlying as? DynamoDBError)?.isRetryable ?? false
        case .sourceNotReady, .notSelectedByMappings, .mapping, .targetTableMissing, .cancelled: false
        }
    }
}
