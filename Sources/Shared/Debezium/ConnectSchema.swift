/// The Kafka Connect schema of one field, as `JsonConverter` writes it with `schemas.enable=true`:
/// `{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2"},
/// "field":"amount"}`: the type, the logical name, the parameters and the nested schemas of structs and arrays,
/// which decoding a Debezium record reads, and what encoding one writes besides (`json`).
struct ConnectSchema: Sendable, Hashable {
    /// `int8` … `int64`, `float32`, `float64`, `boolean`, `string`, `bytes`, `array`, `map`, `struct`.
    var type: String
    /// The logical type (`io.debezium.time.MicroTimestamp`), if any.
    var name: String?
    var parameters: [String: String]
    /// A struct's fields, in order.
    var fields: [(name: String, schema: ConnectSchema)]
    /// An array's element schema (one, or none for other types).
    var items: [ConnectSchema]
    var isOptional: Bool = true
    /// The logical type's version (Debezium writes 1 on its own logical types).
    var version: Int?
    var doc: String?

    init(
        type: String, name: String? = nil, parameters: [String: String] = [:],
        fields: [(name: String, schema: ConnectSchema)] = [], items: [ConnectSchema] = [], isOptional: Bool = true,
        version: Int? = nil, doc: String? = nil
    ) {
        self.type = type
        self.name = name
        self.parameters = parameters
        self.fields = fields
        self.items = items
        self.isOptional = isOptional
        self.version = version
        self.doc = doc
    }

    /// The schema as `JsonConverter` writes it, fields in its order (`field` last, when it is a struct's field).
    func json(field: String? = nil) -> JSONValue {
        var object = JSONObject()
        object["type"] = .string(type)
        if type == "struct" {
            object["fields"] = .array(fields.map { $0.schema.json(field: $0.name) })
        }
        if let item = items.first { object["items"] = item.json() }
        object["optional"] = .bool(isOptional)
        if let name { object["name"] = .string(name) }
        if let version { object["version"] = .integer(version) }
        if let doc { object["doc"] = .string(doc) }
        if !parameters.isEmpty {
            // `scale` first, as Connect's `Decimal` builder puts it before Debezium adds the precision.
            let scale = DebeziumLogicalType.scaleParameter
            let names = parameters.keys.sorted { ($0 == scale ? 0 : 1, $0) < ($1 == scale ? 0 : 1, $1) }
            object["parameters"] = .object(JSONObject(names.map { name -> (String, JSONValue) in (name, .string(parameters[name] ?? "")) }))
        }
        if let field { object["field"] = .string(field) }
        return .object(object)
    }

    static func == (lhs: ConnectSchema, rhs: ConnectSchema) -> Bool {
        lhs.json() == rhs.json()
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(json())
    }

    init(_ object: JSONObject, path: String, part: ChangeRecordDecodingError.Part) throws(ChangeRecordDecodingError) {
        let reader = FieldReader(object, path: path, part: part)
        type = try reader.string("type")
        name = try reader.optionalString("name")
        parameters = [:]
        if case .object(let map)? = object["parameters"] {
            for field in map.fields {
                if case .string(let text) = field.value { parameters[field.name] = text }
            }
        }
        fields = []
        items = []
        if case .bool(let optional)? = object["optional"] { isOptional = optional }
        if case .number(let text)? = object["version"] { version = Int(text) }
        if case .string(let text)? = object["doc"] { doc = text }
        if type == "struct" {
            guard case .array(let elements)? = object["fields"] else {
                throw ChangeRecordDecodingError(part: part, path: Self.join(path, "fields"), problem: .missingField)
            }
            for (index, element) in elements.enumerated() {
                let elementPath = "\(Self.join(path, "fields"))[\(index)]"
                guard case .object(let fieldObject) = element else {
                    throw ChangeRecordDecodingError(
                        part: part, path: elementPath, problem: .wrongType(expected: "an object", found: element.kindDescription))
                }
                let fieldName = try FieldReader(fieldObject, path: elementPath, part: part).string("field")
                fields.append((fieldName, try ConnectSchema(fieldObject, path: elementPath, part: part)))
            }
        } else if type == "array", case .object(let itemObject)? = object["items"] {
            items = [try ConnectSchema(itemObject, path: Self.join(path, "items"), part: part)]
        }
    }

    /// The schema of a struct's field `name`.
    func field(_ name: String) -> ConnectSchema? {
        fields.first { $0.name == name }?.schema
    }

    private static func join(_ path: String, _ name: String) -> String {
        path.isEmpty ? name : path + "." + name
    }
}

/// A message value or key as Kafka Connect's `JsonConverter` writes it: `{"schema":…,"payload":…}` with
/// `schemas.enable=true`, the payload alone with `false`.
struct ConnectDocument {
    let payload: JSONValue
    /// Nil without schemas (or with a null schema).
    let schema: ConnectSchema?
    /// The path prefix of the payload's fields in error messages: `payload` when enveloped.
    let payloadPath: String

    init(_ bytes: UnsafeRawBufferPointer, part: ChangeRecordDecodingError.Part) throws(ChangeRecordDecodingError) {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw ChangeRecordDecodingError(part: part, path: "", problem: .syntax(error))
        }
        // The envelope has exactly these two fields; a row or an envelope payload never has only these.
        if case .object(let object) = document, object.count == 2, let payload = object["payload"],
            let schema = object["schema"]
        {
            self.payload = payload
            payloadPath = "payload"
            switch schema {
            case .null: self.schema = nil
            case .object(let schemaObject): self.schema = try ConnectSchema(schemaObject, path: "schema", part: part)
            default:
                throw ChangeRecordDecodingError(
                    part: part, path: "schema", problem: .wrongType(expected: "an object or null", found: schema.kindDescription))
            }
        } else {
            payload = document
            schema = nil
            payloadPath = ""
        }
    }
}
