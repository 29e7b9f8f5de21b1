import Shared

/// The role of a key attribute.
public enum KeyType: String, Sendable, Hashable {
    /// The partition key.
    case hash = "HASH"
    /// The sort key.
    case range = "RANGE"
}

/// One attribute of a table's or index's primary key.
public struct KeySchemaElement: Sendable, Hashable {
    public var attributeName: String
    public var keyType: KeyType

    public init(_ attributeName: String, _ keyType: KeyType) {
        self.attributeName = attributeName
        self.keyType = keyType
    }

    var json: JSONValue { ["AttributeName": .string(attributeName), "KeyType": .string(keyType.rawValue)] }
}

/// The scalar types a key attribute can have.
public enum ScalarAttributeType: String, Sendable, Hashable {
    case s = "S"
    case n = "N"
    case b = "B"
}

/// The type of a key attribute of the table or of one of its indexes.
public struct AttributeDefinition: Sendable, Hashable {
    public var attributeName: String
    public var attributeType: ScalarAttributeType

    public init(_ attributeName: String, _ attributeType: ScalarAttributeType) {
        self.attributeName = attributeName
        self.attributeType = attributeType
    }

    var json: JSONValue {
        ["AttributeName": .string(attributeName), "AttributeType": .string(attributeType.rawValue)]
    }
}

extension [KeySchemaElement] {
    /// The partition key's attribute name.
    public var partitionKeyName: String? { first { $0.keyType == .hash }?.attributeName }
    /// The sort key's attribute name, if the key has one.
    public var sortKeyName: String? { first { $0.keyType == .range }?.attributeName }
}
