import Metrics

/// Why the client sent a request again; counted in `ferry_dynamodb_retries_total{operation, reason}` so operators
/// see throttling and outages the retries otherwise hide.
enum DynamoDBRetryReason: String, Sendable {
    /// ProvisionedThroughputExceeded, Throttling, RequestLimitExceeded.
    case throttling
    /// A 5xx answer.
    case serverError = "server_error"
    /// No answer: refused, dropped or timed-out connection.
    case connection
    /// The credentials could not be obtained for now: STS, IAM Identity Center, instance metadata or the container
    /// endpoint unreachable, failing or throttling.
    case credentials = "credentials_unavailable"
    /// BatchWriteItem items DynamoDB returned unprocessed (counted per item).
    case unprocessedItems = "unprocessed_items"

    static func count(_ reason: DynamoDBRetryReason, operation: DynamoDBOperation, by amount: Int = 1) {
        Counter(
            label: "ferry_dynamodb_retries_total",
            dimensions: [("operation", operation.rawValue), ("reason", reason.rawValue)]
        ).increment(by: amount)
    }
}
