/// The DynamoDB API operations this client calls. The raw value is the operation's name in
/// `X-Amz-Target: DynamoDB_20120810.<name>`.
public enum DynamoDBOperation: String, Sendable, Hashable, CustomStringConvertible {
    case putItem = "PutItem"
    case updateItem = "UpdateItem"
    case deleteItem = "DeleteItem"
    case getItem = "GetItem"
    case batchWriteItem = "BatchWriteItem"
    case transactWriteItems = "TransactWriteItems"
    case query = "Query"
    case scan = "Scan"
    case describeTable = "DescribeTable"
    case createTable = "CreateTable"
    case deleteTable = "DeleteTable"
    case updateTimeToLive = "UpdateTimeToLive"
    case describeTimeToLive = "DescribeTimeToLive"

    static let targetPrefix = "DynamoDB_20120810."

    var target: String { Self.targetPrefix + rawValue }

    /// Table management, which has its own (low) request limits: `LimitExceededException` there means "too many
    /// tables being created or deleted at once", a condition that passes.
    var isControlPlane: Bool {
        switch self {
        case .describeTable, .createTable, .deleteTable, .updateTimeToLive, .describeTimeToLive: true
        default: false
        }
    }

    public var description: String { rawValue }
}
