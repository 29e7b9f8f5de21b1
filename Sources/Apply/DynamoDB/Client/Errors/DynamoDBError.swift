import AWS

/// A DynamoDB call that did not succeed, with the operation and table it concerned.
/// Whether to try again is decided in one place: `isRetryable` (DynamoDBError+Classification.swift).
public struct DynamoDBError: Error, Sendable, CustomStringConvertible {
    public enum Failure: Sendable {
        /// DynamoDB answered with an error document (`__type`, `message`).
        case service(code: DynamoDBErrorCode, message: String, httpStatus: Int)
        /// No answer came: connection refused or lost, timeout.
        case transport(AWSHTTPTransportError)
        /// An answer came but is not what the protocol promises.
        case malformedResponse(httpStatus: Int, reason: String)
        /// The request could not be signed.
        case credentials(AWSCredentialsError)
        /// `batchWriteAll` gave up with items DynamoDB kept returning as unprocessed.
        case unprocessedItems([String: [WriteRequest]])
        /// `waitUntilActive` gave up; the table (or one of its indexes) was still in `status`.
        case notActiveInTime(status: String)
    }

    public var failure: Failure
    public var operation: DynamoDBOperation
    /// The table the request addressed; nil for calls that span several tables.
    public var table: String?
    /// For `TransactionCanceledException`: one reason per action, in request order.
    public var cancellationReasons: [TransactionCancellationReason] = []
    /// For `ConditionalCheckFailedException` with `ReturnValuesOnConditionCheckFailure: ALL_OLD`: the stored item.
    public var itemOnConditionFailure: DynamoDBItem?

    public init(_ failure: Failure, operation: DynamoDBOperation, table: String?) {
        self.failure = failure
        self.operation = operation
        self.table = table
    }

    /// The service's error code, when DynamoDB answered with one.
    public var code: DynamoDBErrorCode? {
        if case .service(let code, _, _) = failure { return code }
        return nil
    }

    public var httpStatus: Int? {
        switch failure {
        case .service(_, _, let status), .malformedResponse(let status, _): status
        default: nil
        }
    }

    public var description: String {
        let subject = "DynamoDB \(operation)" + (table.map { " on table '\($0)'" } ?? "")
        switch failure {
        case .service(let code, let message, let status) where isAuthenticationFailure:
            // Only the first line: signature errors go on to quote the canonical request, which holds the
            // session token.
            let summary = message.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            return "\(subject) was refused (\(code), HTTP \(status)): check the AWS credentials (access key id, "
                + "secret access key, session token), their IAM permissions and the region. \(summary)"
        case .service(let code, let message, let status):
            let reasons = cancellationReasons.isEmpty
                ? ""
                : " [" + cancellationReasons.map { $0.code + ($0.message.map { ": \($0)" } ?? "") }
                    .joined(separator: ", ") + "]"
            return "\(subject) failed: \(code) (HTTP \(status)): \(message)\(reasons)"
        case .transport(let error):
            return "\(subject) got no response: \(error)"
        case .malformedResponse(let status, let reason):
            return "\(subject) got an unreadable response (HTTP \(status)): \(reason)"
        case .credentials(let error):
            return "\(subject) could not be signed: \(error)"
        case .unprocessedItems(let remaining):
            let count = remaining.values.reduce(0) { $0 + $1.count }
            return "\(subject) left \(count) items unprocessed after every retry (throttled)"
        case .notActiveInTime(let status):
            return "\(subject): table did not become ACTIVE in time (still \(status))"
        }
    }
}
