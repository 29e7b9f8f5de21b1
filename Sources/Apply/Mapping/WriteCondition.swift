import Shared

/// An object-mapping rule's `condition-expression` ("Using Amazon DynamoDB as a target", object mapping): a
/// DynamoDB condition every write of the table must also meet, besides ferry's own version condition.
///
/// The user's `#name`/`:value` placeholders are renamed with a `u_` prefix (`#u_name`), so that they can never
/// collide with the placeholders ferry's own conditions and updates use.
public struct WriteCondition: Sendable, Hashable {
    /// The rule the condition comes from, for the reason of a refused write.
    public let ruleId: String
    /// The condition, placeholders renamed.
    public let expression: String
    public let names: [String: String]
    public let values: DynamoDBItem

    init(_ fields: RuleFields, ruleId: String) throws(TableMappingsError) {
        self.ruleId = ruleId
        let text = try fields.string("expression")
        var names: [String: String] = [:]
        var defined: Set<String> = []
        for (placeholder, value) in try Self.entries("expression-attribute-names", prefix: "#", fields) {
            defined.insert(placeholder)
            guard case .string(let name) = value, !name.isEmpty else {
                throw fields.failure("\(fields.label("expression-attribute-names")) '\(placeholder)' must name an attribute")
            }
            names[Self.renamed(placeholder)] = name
        }
        var values: DynamoDBItem = [:]
        for (placeholder, value) in try Self.entries("expression-attribute-values", prefix: ":", fields) {
            defined.insert(placeholder)
            values[Self.renamed(placeholder)] = try Self.attributeValue(value, placeholder: placeholder, fields)
        }
        let used = Self.placeholders(in: text)
        if let undefined = used.first(where: { !defined.contains($0) }) {
            throw fields.failure("\(fields.label("expression")) uses \(undefined), which the rule does not define")
        }
        if let unused = defined.subtracting(used).sorted().first {
            // DynamoDB refuses a request with an unused placeholder: every write would fail.
            throw fields.failure("\(unused) is defined but not used in \(fields.label("expression"))")
        }
        self.expression = Self.renamingPlaceholders(in: text)
        self.names = names
        self.values = values
    }

    /// The `{"name": …, "value": …}` entries of a list, names checked to start with `prefix`.
    private static func entries(_ key: String, prefix: Character, _ fields: RuleFields) throws(TableMappingsError)
        -> [(String, JSONValue)]
    {
        var entries: [(String, JSONValue)] = []
        for (index, element) in (try fields.optionalArray(key) ?? []).enumerated() {
            let label = "'\(fields.path)\(key)[\(index)]'"
            guard case .object(let entry) = element, case .string(let name)? = entry["name"], let value = entry["value"]
            else { throw fields.failure("\(label) must be an object with a \"name\" and a \"value\"") }
            guard name.first == prefix, name.count > 1, placeholders(in: name) == [name] else {
                throw fields.failure("\(label): '\(name)' must be \(prefix) followed by letters, digits or _")
            }
            entries.append((name, value))
        }
        return entries
    }

    /// A value as DynamoDB JSON (`{"S": "x"}`), or a plain JSON string, number or boolean (S, N, BOOL).
    private static func attributeValue(_ value: JSONValue, placeholder: String, _ fields: RuleFields)
        throws(TableMappingsError) -> DynamoDBAttributeValue
    {
        switch value {
        case .string(let text): return .s(text)
        case .number(let digits): return .n(digits)
        case .bool(let flag): return .bool(flag)
        default:
            do throws(DynamoDBJSONError) {
                return try DynamoDBAttributeValue(dynamoDBJSON: value)
            } catch {
                throw fields.failure("'\(fields.path)expression-attribute-values' \(placeholder): \(error)")
            }
        }
    }

    /// The `#name` and `:value` placeholders of an expression, in order (an expression has no string literals,
    /// so every `#` or `:` starts one).
    private static func placeholders(in text: String) -> [String] {
        var found: [String] = []
        var current: String?
        for character in text {
            if character == "#" || character == ":" {
                if let current, current.count > 1 { found.append(current) }
                current = String(character)
            } else if current != nil, character.isLetter || character.isNumber || character == "_" {
                current?.append(character)
            } else {
                if let current, current.count > 1 { found.append(current) }
                current = nil
            }
        }
        if let current, current.count > 1 { found.append(current) }
        return found
    }

    private static func renamed(_ placeholder: String) -> String {
        String(placeholder.prefix(1)) + "u_" + placeholder.dropFirst()
    }

    private static func renamingPlaceholders(in text: String) -> String {
        var result = ""
        for character in text {
            result.append(character)
            if character == "#" || character == ":" { result += "u_" }
        }
        return result
    }
}
