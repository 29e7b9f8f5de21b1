/// A JSON document as Ferry needs it: numbers keep their exact decimal text (PostgreSQL `numeric` and `int8`
/// values must survive the trip through Kafka digit for digit) and objects keep their field order.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// The number exactly as written. Build one from outside text with `number(exactly:)`, which checks the syntax.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// A number from decimal text, or nil unless `text` is a valid JSON number (RFC 8259 §6).
    public static func number(exactly text: String) -> JSONValue? {
        var text = text
        let isValid = text.withUTF8 { JSONNumberSyntax.isValid(UnsafeRawBufferPointer($0)) }
        return isValid ? .number(text) : nil
    }

    /// A number from a binary integer; its decimal form is always valid JSON.
    public static func integer(_ value: some BinaryInteger) -> JSONValue {
        .number(String(value))
    }
}

/// A JSON object whose fields stay in the order they were written or parsed.
///
/// Lookup by name is linear: record objects have a handful to a few hundred columns, where a scan beats hashing.
/// Duplicate names are kept as they come; lookup returns the first.
public struct JSONObject: Sendable, Hashable {
    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: JSONValue

        public init(name: String, value: JSONValue) {
            self.name = name
            self.value = value
        }
    }

    public var fields: [Field]

    public init(fields: [Field] = []) {
        self.fields = fields
    }

    public init(_ pairs: [(String, JSONValue)]) {
        self.fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    /// The first field named `name`. Setting replaces that field's value in place (or appends a new field);
    /// setting nil removes every field of that name.
    public subscript(name: String) -> JSONValue? {
        get {
            // Comparing lengths first skips String's Unicode-aware comparison for nearly every other field.
            let length = name.utf8.count
            return fields.first { $0.name.utf8.count == length && $0.name == name }?.value
        }
        set {
            guard let newValue else {
                fields.removeAll { $0.name == name }
                return
            }
            if let index = fields.firstIndex(where: { $0.name == name }) {
                fields[index].value = newValue
            } else {
                fields.append(Field(name: name, value: newValue))
            }
        }
    }

    public var isEmpty: Bool { fields.isEmpty }
    public var count: Int { fields.count }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Dictionary-literal syntax, but the written order is kept: `["b": 1, "a": 2]` stays b, a.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
}
