/// What each failure means for the caller. Every retry decision of the client is made here.
extension DynamoDBError {
    /// Whether sending the same request again may succeed: throttling, server-side faults, lost connections,
    /// credentials services that are down or throttling.
    public var isRetryable: Bool {
        switch failure {
        case .service(let code, _, let status):
            switch code {
            case .provisionedThroughputExceeded, .throttling, .requestLimitExceeded,
                .internalServerError, .serviceUnavailable:
                return true
            case .limitExceeded:
                // On the control plane it means too many concurrent table operations; on the data plane it is a quota.
                return operation.isControlPlane
            case .transactionConflict:
                // Another transaction held the item; the conflict passes. Outside a transaction the write lost to
                // a transaction in flight and must be re-decided by the caller.
                return operation == .transactWriteItems
            case .validation, .resourceNotFound, .resourceInUse, .conditionalCheckFailed, .transactionCanceled,
                .itemCollectionSizeLimitExceeded:
                return false
            case _ where isAuthenticationFailure:
                return false
            default:
                return status >= 500
            }
        case .transport(let error):
            switch error.kind {
            case .connectionFailed, .connectionLost, .timedOut: return true
            case .unusable: return false
            }
        case .malformedResponse(let status, _):
            // A 5xx with an odd body (a load balancer's HTML page) is still a server fault.
            return status >= 500
        case .credentials(let error):
            // An STS, IAM Identity Center or metadata outage passes; a denied role or a broken profile does not.
            return error.isTransient
        case .unprocessedItems, .notActiveInTime:
            return false
        }
    }

    /// Whether waiting, however long, may cure it: what `isRetryable` retries (throttling, 5xx, lost connections, a
    /// credentials service down), throttling that outlasted the client's retries (unprocessed items), an expired
    /// token (the client has looked the credentials up again; expired ones nothing renews come back as a
    /// credentials error instead), a table not yet active, a write that lost to a transaction in
    /// flight. The rest — a denied permission, a missing table, a request refused as a whole, an endpoint that does not
    /// answer as DynamoDB — stays until someone fixes it: callers that wait out outages stop on it (`remedy`).
    public var canHeal: Bool {
        if isRetryable { return true }
        switch failure {
        case .unprocessedItems, .notActiveInTime: return true
        case .service(let code, _, _): return code == .expiredToken || code == .transactionConflict
        case .transport, .malformedResponse, .credentials: return false
        }
    }

    /// What the operator must do about a failure that cannot heal, naming the table and the operation.
    public var remedy: String {
        let table = self.table.map { "table '\($0)'" } ?? "the tables"
        switch failure {
        case .service(let code, _, _) where code == .resourceNotFound:
            return "create \(table) (--target-table-prep CREATE_IF_MISSING does at start); if it was deleted, the items "
                + "it held are gone: have them rebuilt from the topics with `ferry replay --group GROUP --from-beginning` "
                + "before restarting"
        case .service(let code, _, _) where code == .accessDenied:
            return "grant apply's IAM identity dynamodb:\(operation) on \(table)"
        case .service where isAuthenticationFailure:
            return "check the AWS credentials apply gets (access key, secret, session token) and AWS_REGION"
        case .service(let code, _, _) where code == .validation:
            return "DynamoDB refused the \(operation) request as a whole, not one record: check \(table)'s key schema "
                + "and indexes against the table mappings and --table-definitions"
        case .malformedResponse, .transport:
            return "check that AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL (if set) and AWS_REGION point at DynamoDB"
        case .credentials:
            return "fix the AWS credentials source named above"
        default:
            return "fix the cause DynamoDB names for \(operation) on \(table)"
        }
    }

    /// Why a retryable failure is tried again, as the `reason` of `ferry_dynamodb_retries_total`.
    var retryReason: DynamoDBRetryReason {
        if isThrottling { return .throttling }
        if case .transport = failure { return .connection }
        if case .credentials = failure { return .credentials }
        return .serverError
    }

    /// The write's condition was false: for Ferry's versioned writes, "already applied".
    public var isConditionalCheckFailed: Bool { code == .conditionalCheckFailed }

    public var isThrottling: Bool {
        switch code {
        case .provisionedThroughputExceeded?, .throttling?, .requestLimitExceeded?: true
        default: false
        }
    }

    /// The credentials were missing, wrong, expired or lack permission.
    public var isAuthenticationFailure: Bool {
        switch code {
        case .unrecognizedClient?, .invalidSignature?, .accessDenied?, .expiredToken?, .missingAuthenticationToken?,
            .incompleteSignature?:
            true
        default:
            false
        }
    }
}
