import Shared

/// Typed access to the fields of one rule (or of an object inside it), with errors that name the rule and
/// the field's path, e.g. `rule-id 3: 'mapping-parameters.exclude-columns' must be an array of strings`.
///
/// Keys nobody asks for are ignored: DMS documents carry harmless extras such as `rule-name`, `load-order`
/// or `"rule-target": "table"` on object-mapping rules.
struct RuleFields {
    let object: JSONObject
    let rule: RuleReference
    /// Where `object` sits in the rule, with a trailing dot (`"mapping-parameters."`); empty at the top.
    let path: String

    init(_ object: JSONObject, rule: RuleReference, path: String = "") {
        self.object = object
        self.rule = rule
        self.path = path
    }

    func failure(_ problem: String) -> TableMappingsError {
        TableMappingsError(rule: rule, problem: problem)
    }

    func label(_ key: String) -> String { "'\(path)\(key)'" }

    /// The field's value; JSON null counts as absent (DMS exports write `"value": null`).
    func value(_ key: String) -> JSONValue? {
        guard let value = object[key], value != .null else { return nil }
        return value
    }

    func string(_ key: String) throws(TableMappingsError) -> String {
        guard let text = try optionalString(key) else { throw failure("\(label(key)) is missing") }
        return text
    }

    /// A string field that must not be empty when present.
    func optionalString(_ key: String) throws(TableMappingsError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else { throw failure("\(label(key)) must be a string") }
        guard !text.isEmpty else { throw failure("\(label(key)) must not be empty") }
        return text
    }

    func object(_ key: String) throws(TableMappingsError) -> RuleFields {
        guard let fields = try optionalObject(key) else { throw failure("\(label(key)) is missing") }
        return fields
    }

    func optionalObject(_ key: String) throws(TableMappingsError) -> RuleFields? {
        guard let value = value(key) else { return nil }
        guard case .object(let nested) = value else { throw failure("\(label(key)) must be an object") }
        return RuleFields(nested, rule: rule, path: path + key + ".")
    }

    func optionalArray(_ key: String) throws(TableMappingsError) -> [JSONValue]? {
        guard let value = value(key) else { return nil }
        guard case .array(let elements) = value else { throw failure("\(label(key)) must be an array") }
        return elements
    }

    func stringArray(_ key: String) throws(TableMappingsError) -> [String] {
        var strings: [String] = []
        for element in try optionalArray(key) ?? [] {
            guard case .string(let text) = element else { throw failure("\(label(key)) must be an array of strings") }
            strings.append(text)
        }
        return strings
    }

    /// An integer field, written as a number or as a string of digits (DMS writes `"load-order": "1"`).
    func optionalInteger(_ key: String) throws(TableMappingsError) -> Int? {
        switch value(key) {
        case nil: return nil
        case .number(let text)?, .string(let text)?:
            guard let number = Int(text) else { throw failure("\(label(key)) must be an integer, not '\(text)'") }
            return number
        default: throw failure("\(label(key)) must be an integer")
        }
    }

    /// A wildcard pattern field (`%`, `_`, `[…]`), required.
    func pattern(_ key: String, wildcards: Bool = true) throws(TableMappingsError) -> NamePattern {
        let text = try string(key)
        do throws(PatternSyntaxError) {
            return try NamePattern(text, wildcards: wildcards)
        } catch {
            throw failure("\(label(key)) '\(text)': \(error.reason)")
        }
    }
}
