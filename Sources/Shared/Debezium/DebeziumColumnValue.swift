/// One column of a Debezium row written as Ferry's records write the same PostgreSQL value (docs/design.md, "Column
/// values"), decided by the column's Kafka Connect schema — its logical type name where it has one — so that apply
/// gives the items it gives for Ferry's own records. Pure code; errors name the field path.
enum DebeziumColumnValue {
    /// Debezium's default `unavailable.value.placeholder`: a TOASTed value PostgreSQL did not send.
    static let unavailablePlaceholder = "__debezium_unavailable_value"
    private static let unavailablePlaceholderBytes = Array(unavailablePlaceholder.utf8)
    private static let unavailablePlaceholderBase64 = Base64.encode(unavailablePlaceholderBytes)

    /// Ferry's type name of a column (its entry in the record's `types`), from its schema; nil when unknown.
    static func typeName(_ schema: ConnectSchema) -> String? {
        if isNumericText(schema) { return "numeric" }
        if let typeName = schema.name.flatMap(DebeziumLogicalType.init(rawValue:))?.ferryTypeName { return typeName }
        switch schema.type {
        case "int8", "int16": return "int2"
        case "int32": return "int4"
        case "int64": return "int8"
        case "float32": return "float4"
        case "float64": return "float8"
        case "boolean": return "bool"
        case "string": return "text"
        case "bytes": return "bytea"
        case "array": return schema.items.first.flatMap(typeName).map { $0 + "[]" }
        default: return nil
        }
    }

    /// True when the value is Debezium's placeholder for an unchanged TOASTed value, in the shape its column's
    /// type gets it (text, bytes as base64, a one-element text or bytes array, an integer array of its bytes).
    static func isUnavailable(_ value: JSONValue, schema: ConnectSchema?) -> Bool {
        switch value {
        case .string(let text):
            return text == unavailablePlaceholder || (text == unavailablePlaceholderBase64 && schema?.type != "string")
        case .array(let elements) where elements.count == 1:
            guard case .string(let text) = elements[0] else { return false }
            return text == unavailablePlaceholder || text == unavailablePlaceholderBase64
        case .array(let elements) where elements.count == unavailablePlaceholderBytes.count:
            return zip(elements, unavailablePlaceholderBytes).allSatisfy { $0 == .number(String($1)) }
        default:
            return false
        }
    }

    /// The value as Ferry's record holds it. Without a schema the value is taken as it is (no logical type is
    /// known), except a `VariableScaleDecimal`, which cannot be read without one.
    static func convert(
        _ value: JSONValue, schema: ConnectSchema?, path: String, part: ChangeRecordDecodingError.Part
    ) throws(ChangeRecordDecodingError) -> JSONValue {
        if value == .null { return .null }
        let failure = { (problem: ChangeRecordDecodingError.Problem) in
            ChangeRecordDecodingError(part: part, path: path, problem: problem)
        }
        guard let schema else {
            if case .object(let object) = value, object[DebeziumLogicalType.variableScaleFields.scale] != nil,
                object[DebeziumLogicalType.variableScaleFields.value] != nil {
                throw failure(
                    .unsupported(
                        "a variable-scale decimal ({\"scale\",\"value\"}) cannot be read without its schema: produce "
                            + "the topic with value.converter.schemas.enable=true, or decimal.handling.mode=string"))
            }
            return value
        }
        func integer() throws(ChangeRecordDecodingError) -> Int64 {
            guard case .number(let text) = value, let integer = Int64(text) else {
                throw failure(.wrongType(expected: "an integer", found: value.kindDescription))
            }
            return integer
        }
        func string() throws(ChangeRecordDecodingError) -> String {
            guard case .string(let text) = value else {
                throw failure(.wrongType(expected: "a string", found: value.kindDescription))
            }
            return text
        }
        func rendered(_ text: String?, _ what: String) throws(ChangeRecordDecodingError) -> JSONValue {
            guard let text else { throw failure(.invalidValue("not a valid \(what) value: \(value.kindDescription)")) }
            return .string(text)
        }
        if let name = schema.name, name.hasPrefix("io.debezium.data.geometry.") {
            throw failure(.unsupported("\(name) (PostGIS, point) is not a type Ferry reads"))
        }
        switch schema.name.flatMap(DebeziumLogicalType.init(rawValue:)) {
        case .date?, .connectDate?:
            return try rendered(DebeziumTemporal.date(epochDays: try integer()), "date")
        case .time?, .connectTime?:
            return try rendered(DebeziumTemporal.time(microseconds: try integer() * 1000), "time")
        case .microTime?:
            return try rendered(DebeziumTemporal.time(microseconds: try integer()), "time")
        case .nanoTime?:
            return try rendered(DebeziumTemporal.time(microseconds: try integer() / 1000), "time")
        case .timestamp?, .connectTimestamp?:
            let (micros, overflow) = try integer().multipliedReportingOverflow(by: 1000)
            return try rendered(overflow ? nil : DebeziumTemporal.timestamp(epochMicroseconds: micros), "timestamp")
        case .microTimestamp?:
            return try rendered(DebeziumTemporal.timestamp(epochMicroseconds: try integer()), "timestamp")
        case .nanoTimestamp?:
            let nanos = try integer()
            let micros = nanos / 1000 - (nanos % 1000 < 0 ? 1 : 0)
            return try rendered(DebeziumTemporal.timestamp(epochMicroseconds: micros), "timestamp")
        case .zonedTimestamp?:
            return try rendered(DebeziumTemporal.zonedTimestamp(try string()), "timestamptz")
        case .zonedTime?:
            return try rendered(DebeziumTemporal.zonedTime(try string()), "timetz")
        case .decimal?:
            guard let scale = schema.parameters[DebeziumLogicalType.scaleParameter].flatMap(Int.init) else {
                throw failure(.invalidValue("a Decimal schema without a numeric \"scale\" parameter"))
            }
            return try decimal(try string(), scale: scale, failure: failure)
        case .variableScaleDecimal?:
            guard case .object(let object) = value else {
                throw failure(.wrongType(expected: "an object {\"scale\",\"value\"}", found: value.kindDescription))
            }
            let reader = FieldReader(object, path: path, part: part)
            let scale = try reader.int64(DebeziumLogicalType.variableScaleFields.scale)
            return try decimal(try reader.string(DebeziumLogicalType.variableScaleFields.value), scale: Int(clamping: scale), failure: failure)
        case .json?:
            let text = try string()
            do {
                return try JSONParser.parse(text)
            } catch {
                throw failure(.invalidValue("not valid JSON text: \(error)"))
            }
        case .microDuration?, .interval?, .bits?:
            throw failure(.unsupported("\(schema.name ?? "") (interval, bit string) is not a type Ferry reads"))
        default:
            return try convertByType(value, schema: schema, path: path, part: part, failure: failure)
        }
    }

    private static func convertByType(
        _ value: JSONValue, schema: ConnectSchema, path: String, part: ChangeRecordDecodingError.Part,
        failure: (ChangeRecordDecodingError.Problem) -> ChangeRecordDecodingError
    ) throws(ChangeRecordDecodingError) -> JSONValue {
        switch (schema.type, value) {
        case ("array", .array(let elements)):
            var converted: [JSONValue] = []
            converted.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                converted.append(try convert(element, schema: schema.items.first, path: "\(path)[\(index)]", part: part))
            }
            return .array(converted)
        case ("string", .string(let text)) where isNumericText(schema):
            // decimal.handling.mode=string: a number, when the propagated source type says it is one.
            guard let number = JSONValue.number(exactly: text) else { return value }
            return number
        case ("string", .string), ("bytes", .string), ("boolean", .bool):
            return value
        case ("int8", .number), ("int16", .number), ("int32", .number), ("int64", .number):
            return value
        case ("float32", .number), ("float64", .number), ("float32", .string), ("float64", .string):
            // JsonConverter writes NaN and the infinities as strings, as Ferry's records do.
            return value
        case ("struct", _), ("map", _):
            throw failure(.unsupported("a \(schema.type) \(schema.name ?? "") is not a column type Ferry reads"))
        default:
            throw failure(.wrongType(expected: "a value of schema type \(schema.type)", found: value.kindDescription))
        }
    }

    /// A column that `decimal.handling.mode=string` wrote and `column.propagate.source.type` marked numeric.
    private static func isNumericText(_ schema: ConnectSchema) -> Bool {
        guard schema.type == "string", let sourceType = schema.parameters[DebeziumLogicalType.sourceTypeParameter]?.lowercased() else {
            return false
        }
        return sourceType == "numeric" || sourceType == "decimal"
    }

    private static func decimal(
        _ base64: String, scale: Int, failure: (ChangeRecordDecodingError.Problem) -> ChangeRecordDecodingError
    ) throws(ChangeRecordDecodingError) -> JSONValue {
        guard let bytes = Base64.decode(base64), let text = DebeziumDecimal.text(unscaled: bytes, scale: scale),
            let number = JSONValue.number(exactly: text)
        else { throw failure(.invalidValue("not a decimal's base64 unscaled bytes with scale \(scale)")) }
        return number
    }
}
