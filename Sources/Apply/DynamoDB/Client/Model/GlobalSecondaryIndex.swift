import Shared

/// Which attributes an index copies from the table.
public enum Projection: Sendable, Hashable {
    case all
    case keysOnly
    case include([String])

    var json: JSONValue {
        switch self {
        case .all: ["ProjectionType": "ALL"]
        case .keysOnly: ["ProjectionType": "KEYS_ONLY"]
        case .include(let names): ["ProjectionType": "INCLUDE", "NonKeyAttributes": .array(names.map(JSONValue.string))]
        }
    }

    init?(json: DynamoDBResponse) {
        switch json.string("ProjectionType") {
        case "ALL"?: self = .all
        case "KEYS_ONLY"?: self = .keysOnly
        case "INCLUDE"?:
            guard case .array(let names)? = json.object["NonKeyAttributes"] else { self = .include([]); return }
            self = .include(names.compactMap { if case .string(let name) = $0 { name } else { nil } })
        default: return nil
        }
    }
}

/// A global secondary index to create with a table.
public struct GlobalSecondaryIndex: Sendable, Hashable {
    public var indexName: String
    public var keySchema: [KeySchemaElement]
    public var projection: Projection
    /// The index's own capacity, for a table with provisioned billing (nil on demand).
    public var provisionedThroughput: ProvisionedThroughput?

    public init(
        indexName: String, keySchema: [KeySchemaElement], projection: Projection = .all,
        provisionedThroughput: ProvisionedThroughput? = nil
    ) {
        self.indexName = indexName
        self.keySchema = keySchema
        self.projection = projection
        self.provisionedThroughput = provisionedThroughput
    }

    var json: JSONValue {
        var object: JSONObject = [
            "IndexName": .string(indexName),
            "KeySchema": .array(keySchema.map(\.json)),
            "Projection": projection.json,
        ]
        object["ProvisionedThroughput"] = provisionedThroughput?.json
        return .object(object)
    }
}
