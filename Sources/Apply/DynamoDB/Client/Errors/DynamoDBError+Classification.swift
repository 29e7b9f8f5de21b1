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
