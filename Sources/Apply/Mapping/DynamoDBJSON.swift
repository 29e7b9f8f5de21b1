import Shared

// DynamoDB JSON, the wire form of attribute values: `{"S":"x"}`, `{"N":"12.30"}`, `{"B":"<base64>"}`,
// `{"BOOL":true}`, `{"NULL":true}`, `{"M":{…}}`, `{"L":[…]}`, `{"SS":[…]}`, `{"NS":[…]}`, `{"BS":[…]}`.
// Built as `JSONValue` so the client writes requests with the shared JSONWriter and reads GetItem/Scan
// answers with the shared JSONParser.

extension DynamoDBAttributeValue {
    /// This value in DynamoDB JSON. Map entries are written in name order, so equal items encode equally.
    public var dynamoDBJSON: JSONValue {
        let payload: JSONValue =
            switch self {
            case .s(let text): .string(text)
            case .n(let number): .string(number)
            case .b(let bytes): .string(Base64.encode(bytes))
            case .bool(let flag): .bool(flag)
            case .null: .bool(true)
            case .m(let map): map.dynamoDBJSON
            case .l(let list): .array(list.map(\.dynamoDBJSON))
            case .ss(let strings): .array(strings.map(JSONValue.string))
            case .ns(let numbers): .array(numbers.map(JSONValue.string))
            case .bs(let binaries): .array(binaries.map { .string(Base64.encode($0)) })
            }
        return .object(JSONObject([(typeDescriptor, payload)]))
    }

    /// Reads a value in DynamoDB JSON.
    public init(dynamoDBJSON json: JSONValue) throws(DynamoDBJSONError) {
        try self.init(dynamoDBJSON: json, path: "")
    }

    init(dynamoDBJSON json: JSONValue, path: String) throws(DynamoDBJSONError) {
        guard case .object(let object) = json, object.count == 1, let field = object.fields.first else {
            throw DynamoDBJSONError(path: path, reason: "expected an object with exactly one type descriptor")
        }
        func failure(_ reason: String) -> DynamoDBJSONError {
            DynamoDBJSONError(path: path, reason: "\(field.name): \(reason)")
        }
        switch (field.name, field.value) {
        case ("S", .string(let text)):
            self = .s(text)
        case ("N", .string(let number)):
            guard DynamoDBNumber(number) != nil else { throw failure("'\(number)' is not a number") }
            self = .n(number)
        case ("B", .string(let text)):
            guard let bytes = Base64.decode(text) else { throw failure("not base64") }
            self = .b(bytes)
        case ("BOOL", .bool(let flag)):
            self = .bool(flag)
        case ("NULL", .bool(true)):
            self = .null
        case ("M", .object(let map)):
            self = .m(try DynamoDBItem(dynamoDBJSON: map, path: path))
        case ("L", .array(let elements)):
            var list: [DynamoDBAttributeValue] = []
            list.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                list.append(try DynamoDBAttributeValue(dynamoDBJSON: element, path: "\(path)[\(index)]"))
            }
            self = .l(list)
        case ("SS", .array(let elements)):
            self = .ss(try Self.strings(elements, failure: failure("expected an array of strings")))
        case ("NS", .array(let elements)):
            let numbers = try Self.strings(elements, failure: failure("expected an array of number strings"))
            guard numbers.allSatisfy({ DynamoDBNumber($0) != nil }) else {
                throw failure("expected an array of number strings")
            }
            self = .ns(numbers)
        case ("BS", .array(let elements)):
            let texts = try Self.strings(elements, failure: failure("expected an array of base64 strings"))
            var binaries: [[UInt8]] = []
            for text in texts {
                guard let bytes = Base64.decode(text) else { throw failure("expected an array of base64 strings") }
                binaries.append(bytes)
            }
            self = .bs(binaries)
        case ("S", _), ("N", _), ("B", _), ("BOOL", _), ("NULL", _), ("M", _), ("L", _), ("SS", _), ("NS", _),
            ("BS", _):
            throw failure("value of the wrong JSON type")
        default:
            throw failure("unknown type descriptor")
        }
    }

    private static func strings(_ elements: [JSONValue], failure: DynamoDBJSONError) throws(DynamoDBJSONError)
        -> [String]
    {
        var strings: [String] = []
        strings.reserveCapacity(elements.count)
        for element in elements {
            guard case .string(let text) = element else { throw failure }
            strings.append(text)
        }
        return strings
    }
}

extension Dictionary where Key == String, Value == DynamoDBAttributeValue {
    /// This item as a DynamoDB JSON object (`{"Id":{"N":"1"},…}`), attributes in name order.
    public var dynamoDBJSON: JSONValue {
        .object(JSONObject(sorted { $0.key < $1.key }.map { ($0.key, $0.value.dynamoDBJSON) }))
    }

    /// Reads an item from a DynamoDB JSON object, as in a GetItem `Item` or a Scan `Items` element.
    public init(dynamoDBJSON json: JSONValue) throws(DynamoDBJSONError) {
        guard case .object(let object) = json else {
            throw DynamoDBJSONError(path: "", reason: "expected an object of attributes")
        }
        try self.init(dynamoDBJSON: object, path: "")
    }

    init(dynamoDBJSON object: JSONObject, path: String) throws(DynamoDBJSONError) {
        self.init(minimumCapacity: object.count)
        for field in object.fields {
            let fieldPath = path.isEmpty ? field.name : "\(path).\(field.name)"
            guard self[field.name] == nil else {
                throw DynamoDBJSONError(path: fieldPath, reason: "attribute appears twice")
            }
            self[field.name] = try DynamoDBAttributeValue(dynamoDBJSON: field.value, path: fieldPath)
        }
    }
}

extension ByteSink {
    /// `item` in DynamoDB JSON, byte for byte what `item.dynamoDBJSON` renders, written without building the
    /// `JSONValue` tree: a bulk load's request bodies are most of what apply writes.
    mutating func writeDynamoDBJSON(_ item: DynamoDBItem) {
        append(UInt8(ascii: "{"))
        for (index, attribute) in item.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { append(UInt8(ascii: ",")) }
            writeJSONString(attribute.key)
            append(UInt8(ascii: ":"))
            writeDynamoDBJSON(attribute.value)
        }
        append(UInt8(ascii: "}"))
    }

    mutating func writeDynamoDBJSON(_ value: DynamoDBAttributeValue) {
        append(UInt8(ascii: "{"))
        writeJSONString(value.typeDescriptor)
        append(UInt8(ascii: ":"))
        switch value {
        case .s(let text), .n(let text): writeJSONString(text)
        case .b(let bytes): writeJSONString(Base64.encode(bytes))
        case .bool(let flag): append(flag ? "true" : "false")
        case .null: append("true")
        case .m(let map): writeDynamoDBJSON(map)
        case .l(let list): writeArray(list) { $0.writeDynamoDBJSON($1) }
        case .ss(let strings), .ns(let strings): writeArray(strings) { $0.writeJSONString($1) }
        case .bs(let binaries): writeArray(binaries) { $0.writeJSONString(Base64.encode($1)) }
        }
        append(UInt8(ascii: "}"))
    }

    private mutating func writeArray<Element>(_ elements: [Element], _ write: (inout ByteSink, Element) -> Void) {
        append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { append(UInt8(ascii: ",")) }
            write(&self, element)
        }
        append(UInt8(ascii: "]"))
    }
}

/// Why a DynamoDB JSON document could not be read, and where (`Address.Home[2]`).
public struct DynamoDBJSONError: Error, Hashable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String {
        path.isEmpty ? "invalid DynamoDB JSON: \(reason)" : "invalid DynamoDB JSON at \(path): \(reason)"
    }
}
