@testable import AWS
import Testing

@testable import Apply

@Suite("DynamoDB error decoding")
struct DynamoDBErrorDecodingTests {
    func decode(_ status: Int, _ body: String, _ operation: DynamoDBOperation = .putItem) -> DynamoDBError {
        DynamoDBErrorResponse.decode(status: status, body: Array(body.utf8), operation: operation, table: "Payments")
    }

    @Test func stripsTheNamespaceFromType() {
        let error = decode(400, errorBody("ConditionalCheckFailedException", "The conditional request failed"))
        #expect(error.code == .conditionalCheckFailed)
        #expect(error.httpStatus == 400)
        #expect(error.operation == .putItem)
        #expect(error.table == "Payments")
        #expect(error.isConditionalCheckFailed)
        #expect(error.description
            == "DynamoDB PutItem on table 'Payments' failed: ConditionalCheckFailedException (HTTP 400): "
            + "The conditional request failed")
    }

    @Test(arguments: [
        ("com.amazonaws.dynamodb.v20120810#ValidationException", "ValidationException"),
        ("com.amazon.coral.validate#ValidationException", "ValidationException"),
        ("ThrottlingException", "ThrottlingException"),
        ("ResourceNotFoundException:http://internal", "ResourceNotFoundException"),
    ])
    func readsEveryTypeSpelling(type: String, code: String) {
        #expect(DynamoDBErrorCode(type: type).rawValue == code)
    }

    @Test func readsCapitalisedMessage() {
        let error = decode(400, #"{"__type":"x#ValidationException","Message":"One or more parameter values were invalid"}"#)
        guard case .service(_, let message, _) = error.failure else {
            Issue.record("not a service error: \(error)")
            return
        }
        #expect(message == "One or more parameter values were invalid")
    }

    @Test func decodesTransactionCancellationReasons() {
        let body = #"""
            {"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
             "Message":"Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]",
             "CancellationReasons":[{"Code":"None"},
               {"Code":"ConditionalCheckFailed","Message":"The conditional request failed","Item":{"Id":{"N":"7"}}}]}
            """#
        let error = decode(400, body, .transactWriteItems)
        #expect(error.code == .transactionCanceled)
        #expect(error.cancellationReasons == [
            TransactionCancellationReason(code: "None"),
            TransactionCancellationReason(
                code: "ConditionalCheckFailed", message: "The conditional request failed", item: ["Id": .n("7")]),
        ])
        #expect(error.cancellationReasons[1].isConditionalCheckFailed)
        #expect(!error.isRetryable)
    }

    @Test func keepsTheStoredItemOfAFailedCondition() {
        let body = #"{"__type":"x#ConditionalCheckFailedException","message":"failed","Item":{"v":{"N":"9"}}}"#
        #expect(decode(400, body).itemOnConditionFailure == ["v": .n("9")])
    }

    @Test func aBodyWithoutTypeIsMalformedAndRetryableOnlyFor5xx() {
        let gateway = decode(502, "<html>Bad Gateway</html>")
        guard case .malformedResponse(502, _) = gateway.failure else {
            Issue.record("expected a malformed response, got \(gateway)")
            return
        }
        #expect(gateway.isRetryable)
        #expect(!decode(400, "not json").isRetryable)
    }

    @Test func authFailuresSayToCheckCredentialsAndNeverQuoteTheCanonicalRequest() {
        let message = "The request signature we calculated does not match the signature you provided.\\n\\n"
            + "The Canonical String for this request should have been\\n'POST\\n/\\n\\nx-amz-security-token:SECRET-TOKEN'"
        let error = decode(400, errorBody("InvalidSignatureException", message))
        #expect(error.isAuthenticationFailure)
        #expect(!error.isRetryable)
        #expect(error.description.contains("check the AWS credentials"))
        #expect(!error.description.contains("SECRET-TOKEN"))
    }
}

@Suite("DynamoDB error classification")
struct DynamoDBErrorClassificationTests {
    static let cases: [(code: String, status: Int, operation: DynamoDBOperation, retryable: Bool)] = [
        ("ProvisionedThroughputExceededException", 400, .putItem, true),
        ("ThrottlingException", 400, .putItem, true),
        ("RequestLimitExceeded", 400, .batchWriteItem, true),
        ("LimitExceededException", 400, .createTable, true),
        ("LimitExceededException", 400, .putItem, false),
        ("InternalServerError", 500, .putItem, true),
        ("ServiceUnavailable", 503, .getItem, true),
        ("SomethingNewException", 503, .query, true),
        ("SomethingNewException", 400, .query, false),
        ("TransactionConflictException", 400, .transactWriteItems, true),
        ("TransactionConflictException", 400, .putItem, false),
        ("ValidationException", 400, .putItem, false),
        ("ResourceNotFoundException", 400, .describeTable, false),
        ("ConditionalCheckFailedException", 400, .putItem, false),
        ("TransactionCanceledException", 400, .transactWriteItems, false),
        ("ItemCollectionSizeLimitExceededException", 400, .putItem, false),
        ("UnrecognizedClientException", 400, .putItem, false),
        ("InvalidSignatureException", 400, .putItem, false),
        ("AccessDeniedException", 400, .putItem, false),
    ]

    @Test(arguments: cases)
    func serviceErrors(code: String, status: Int, operation: DynamoDBOperation, retryable: Bool) {
        let error = DynamoDBError(
            .service(code: DynamoDBErrorCode(rawValue: code), message: "m", httpStatus: status),
            operation: operation, table: "T"
        )
        #expect(error.isRetryable == retryable, "\(code) on \(operation)")
    }

    @Test(arguments: [
        (AWSHTTPTransportError.Kind.connectionFailed, true),
        (.connectionLost, true),
        (.timedOut, true),
        (.unusable, false),
    ])
    func transportErrors(kind: AWSHTTPTransportError.Kind, retryable: Bool) {
        let error = DynamoDBError(.transport(AWSHTTPTransportError(kind: kind, detail: "x")), operation: .scan, table: nil)
        #expect(error.isRetryable == retryable)
    }

    /// What apply waits out beyond the client's retries, and what stops it (`ApplyError.targetRefused`).
    @Test(arguments: [
        ("ProvisionedThroughputExceededException", 400, DynamoDBOperation.putItem, true),
        ("ThrottlingException", 400, .updateItem, true),
        ("RequestLimitExceeded", 400, .deleteItem, true),
        ("InternalServerError", 500, .putItem, true),
        ("ExpiredTokenException", 400, .putItem, true),
        ("TransactionConflictException", 400, .putItem, true),
        ("ResourceNotFoundException", 400, .putItem, false),
        ("AccessDeniedException", 400, .putItem, false),
        ("UnrecognizedClientException", 400, .putItem, false),
        ("InvalidSignatureException", 400, .scan, false),
        ("ValidationException", 400, .query, false),
        ("LimitExceededException", 400, .putItem, false),
    ])
    func whatWaitingCanHeal(code: String, status: Int, operation: DynamoDBOperation, heals: Bool) {
        let error = DynamoDBError(
            .service(code: DynamoDBErrorCode(rawValue: code), message: "m", httpStatus: status),
            operation: operation, table: "T")
        #expect(error.canHeal == heals, "\(code) on \(operation)")
    }

    @Test func anEndpointThatIsNotDynamoDBCannotHealButAGatewayFaultCan() {
        let notDynamoDB = DynamoDBErrorResponse.decode(
            status: 404, body: Array("<html>Not Found</html>".utf8), operation: .putItem, table: "T")
        #expect(!notDynamoDB.canHeal)
        #expect(notDynamoDB.remedy.contains("AWS_ENDPOINT_URL_DYNAMODB"))
        let gateway = DynamoDBErrorResponse.decode(
            status: 502, body: Array("<html>Bad Gateway</html>".utf8), operation: .putItem, table: "T")
        #expect(gateway.canHeal)
        let unprocessed = DynamoDBError(.unprocessedItems([:]), operation: .batchWriteItem, table: "T")
        #expect(unprocessed.canHeal)
    }

    @Test func theRemedyNamesTheTableAndTheOperation() {
        let denied = DynamoDBError(
            .service(code: .accessDenied, message: "m", httpStatus: 400), operation: .updateItem, table: "Payments")
        #expect(denied.remedy == "grant apply's IAM identity dynamodb:UpdateItem on table 'Payments'")
        let missing = DynamoDBError(
            .service(code: .resourceNotFound, message: "m", httpStatus: 400), operation: .putItem, table: "Payments")
        #expect(missing.remedy.hasPrefix("create table 'Payments'"))
        #expect(ApplyError.targetRefused(missing).description.contains("Fix: create table 'Payments'"))
    }

    @Test func credentialFailuresAreNotRetried() {
        let error = DynamoDBError(.credentials(.notFound(tried: ["environment"])), operation: .putItem, table: "T")
        #expect(!error.isRetryable)
        #expect(error.description.contains("no AWS credentials found"))
    }

    @Test func throttlingIsRecognised() {
        let error = DynamoDBError(
            .service(code: .provisionedThroughputExceeded, message: "", httpStatus: 400), operation: .putItem, table: nil)
        #expect(error.isThrottling)
    }
}
