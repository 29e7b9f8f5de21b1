/// An error code DynamoDB puts in `__type`, without the `com.amazonaws.dynamodb.v20120810#` namespace.
/// Codes this client does not know are kept as they come.
public struct DynamoDBErrorCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Reads `__type`, which comes as `com.amazonaws.dynamodb.v20120810#Code` (or, from some services and
    /// emulators, `namespace#Code`, `Code:detail` or a bare `Code`).
    init(type: String) {
        var code = Substring(type)
        if let hash = code.lastIndex(of: "#") { code = code[code.index(after: hash)...] }
        if let colon = code.firstIndex(of: ":") { code = code[..<colon] }
        self.init(rawValue: String(code))
    }

    public var description: String { rawValue }

    // Throttling
    public static let provisionedThroughputExceeded = Self(rawValue: "ProvisionedThroughputExceededException")
    public static let throttling = Self(rawValue: "ThrottlingException")
    public static let requestLimitExceeded = Self(rawValue: "RequestLimitExceeded")
    public static let limitExceeded = Self(rawValue: "LimitExceededException")
    // Service side
    public static let internalServerError = Self(rawValue: "InternalServerError")
    public static let serviceUnavailable = Self(rawValue: "ServiceUnavailable")
    // Transactions
    public static let transactionConflict = Self(rawValue: "TransactionConflictException")
    public static let transactionCanceled = Self(rawValue: "TransactionCanceledException")
    // Request problems
    public static let validation = Self(rawValue: "ValidationException")
    public static let resourceNotFound = Self(rawValue: "ResourceNotFoundException")
    public static let resourceInUse = Self(rawValue: "ResourceInUseException")
    public static let conditionalCheckFailed = Self(rawValue: "ConditionalCheckFailedException")
    public static let itemCollectionSizeLimitExceeded = Self(rawValue: "ItemCollectionSizeLimitExceededException")
    // Authentication and authorization
    public static let unrecognizedClient = Self(rawValue: "UnrecognizedClientException")
    public static let invalidSignature = Self(rawValue: "InvalidSignatureException")
    public static let accessDenied = Self(rawValue: "AccessDeniedException")
    public static let expiredToken = Self(rawValue: "ExpiredTokenException")
    public static let missingAuthenticationToken = Self(rawValue: "MissingAuthenticationTokenException")
    public static let incompleteSignature = Self(rawValue: "IncompleteSignatureException")
}
