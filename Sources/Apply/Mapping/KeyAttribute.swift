/// One element of a DynamoDB table's key schema, as DescribeTable reports it.
public struct KeyAttribute: Sendable, Hashable {
    /// The scalar types a key attribute can have (DynamoDB's ScalarAttributeType).
    public enum ValueType: String, Sendable, Hashable {
        case string = "S"
        case number = "N"
        case binary = "B"
    }

    public var name: String
    public var type: ValueType

    public init(name: String, type: ValueType) {
        self.name = name
        self.type = type
    }
}
