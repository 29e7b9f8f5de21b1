/// The Kafka Connect schema of one field, as `JsonConverter` writes it with `schemas.enable=true`:
/// `{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2"},
/// "field":"amount"}`. Only what decoding a Debezium record needs: the type, the logical name, the parameters and
/// the nested schemas of structs and arrays.
struct ConnectSchema: Sendable {
    /// `int8` … `int64`, `float32`, `float64`, `boolean`, `string`, `bytes`, `array`, `map`, `struct`.
    var type: String
    /// The logical type (`io.debezium.time.MicroTimestamp`), if any.
    var name: String?
    var parameters: [String: String]
    /// A struct's fields, in order.
    var fields: [(name: String, schema: ConnectSchema)]
    /// An array's element schema (one, or none for other types).
    var items: [ConnectSchema]

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
