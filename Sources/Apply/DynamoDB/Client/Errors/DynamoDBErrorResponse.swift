import Shared

/// Reads DynamoDB's error document: `{"__type":"com.amazonaws.dynamodb.v20120810#Code","message":"…"}`
/// (`Message` in some errors), plus `CancellationReasons` for cancelled transactions and `Item` for a failed
/// condition that asked for the old item.
enum DynamoDBErrorResponse {
    static func decode(
        status: Int, body: [UInt8], operation: DynamoDBOperation, table: String?
    ) -> DynamoDBError {
        guard case .object(let object)? = try? JSONParser.parse(body),
              case .string(let type)? = object["__type"]
        else {
            let excerpt = String(decoding: body.prefix(200), as: UTF8.self)
            return DynamoDBError(
                .malformedResponse(httpStatus: status, reason: "error without __type: \(excerpt)"),
                operation: operation, table: table
            )
        }
        var message = ""
        if case .string(let text)? = object["message"] ?? object["Message"] { message = text }
        var error = DynamoDBError(
            .service(code: DynamoDBErrorCode(type: type), message: message, httpStatus: status),
            operation: operation, table: table
        )
        if let item = object["Item"] { error.itemOnConditionFailure = try? DynamoDBItem(dynamoDBJSON: item) }
        if case .array(let reasons)? = object["CancellationReasons"] {
            error.cancellationReasons = reasons.map(cancellationReason)
        }
        return error
    }

    private static func cancellationReason(_ json: JSONValue) -> TransactionCancellationReason {
        guard case .object(let object) = json else { return TransactionCancellationReason(code: "Unknown") }
        var reason = TransactionCancellationReason(code: "None")
        if case .string(let code)? = object["Code"] { reason.code = code }
        if case .string(let message)? = object["Message"] { reason.message = message }
        if let item = object["Item"] { reason.item = try? DynamoDBItem(dynamoDBJSON: item) }
        return reason
    }
}
