/// One DynamoDB attribute value, as the AttributeValue of the DynamoDB API.
///
/// Numbers keep their exact decimal text: a PostgreSQL `numeric` goes to DynamoDB digit for digit, never
/// through a Double.
public enum DynamoDBAttributeValue: Sendable, Hashable {
    case s(String)
    /// A number as decimal text, e.g. `"12.30"`.
    case n(String)
    /// Raw bytes; base64 only on the wire.
    case b([UInt8])
    case bool(Bool)
    case null
    case m([String: DynamoDBAttributeValue])
    case l([DynamoDBAttributeValue])
    case ss([String])
    case ns([String])
    case bs([[UInt8]])

    /// DynamoDB's item size limit: 400 KB, counted as described on `approximateSize`.
    public static let maximumItemSize = 400 * 1024

    /// The DynamoDB JSON descriptor of this value's type: `S`, `N`, `M`, …
    public var typeDescriptor: String {
        switch self {
        case .s: "S"
        case .n: "N"
        case .b: "B"
        case .bool: "BOOL"
        case .null: "NULL"
        case .m: "M"
        case .l: "L"
        case .ss: "SS"
        case .ns: "NS"
        case .bs: "BS"
        }
    }
}

/// An item: attribute names to values.
public typealias DynamoDBItem = [String: DynamoDBAttributeValue]
