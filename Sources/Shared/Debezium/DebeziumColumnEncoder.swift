/// One column's Connect schema as Debezium's PostgreSQL connector gives it (`decimal.handling.mode` as chosen,
/// `time.precision.mode=adaptive`), and its values converted from Ferry's form (docs/design.md, "Column values") to
/// Debezium's — the inverse of `DebeziumColumnValue`. Pure code.
struct DebeziumColumnEncoder: Sendable {
    let name: String
    let schema: ConnectSchema
    private let kind: Kind

    private indirect enum Kind: Sendable {
        /// Written as Ferry writes it: integers, floats, booleans, text-like types, bytea (base64), timestamptz
        /// (ISO-8601 in UTC, Debezium's `ZonedTimestamp` form).
        case asIs
        case decimal(scale: Int)
        case variableScaleDecimal
        case decimalText
        case decimalDouble
        case json
        case date
        case timeMillis, timeMicros, zonedTime
        case timestampMillis, timestampMicros
        case array(of: Kind)
    }

    init(_ column: DebeziumColumn, decimalHandling: DebeziumDecimalHandling) {
        name = column.name
        let (elementSchema, elementKind) = Self.schema(of: column, decimalHandling: decimalHandling)
        if column.type.isArray {
            schema = ConnectSchema(type: "array", items: [elementSchema], isOptional: column.isOptional)
            kind = .array(of: elementKind)
        } else {
            var schema = elementSchema
            schema.isOptional = column.isOptional
            self.schema = schema
            kind = elementKind
        }
    }

    /// The schema and conversion of one value of the column's (element) type.
    private static func schema(
        of column: DebeziumColumn, decimalHandling: DebeziumDecimalHandling
    ) -> (ConnectSchema, Kind) {
        func logical(_ type: String, _ name: DebeziumLogicalType, _ parameters: [String: String] = [:]) -> ConnectSchema {
            ConnectSchema(type: type, name: name.rawValue, parameters: parameters, version: 1)
        }
        if column.isEnum { return (logical("string", .enumeration), .asIs) }
        switch column.type.name {
        case "int2": return (ConnectSchema(type: "int16"), .asIs)
        case "int4": return (ConnectSchema(type: "int32"), .asIs)
        case "int8", "oid": return (ConnectSchema(type: "int64"), .asIs)
        case "float4": return (ConnectSchema(type: "float32"), .asIs)
        case "float8": return (ConnectSchema(type: "float64"), .asIs)
        case "bool": return (ConnectSchema(type: "boolean"), .asIs)
        case "bytea": return (ConnectSchema(type: "bytes"), .asIs)
        case "numeric":
            switch decimalHandling {
            case .precise:
                guard let (precision, scale) = column.numericPrecisionAndScale else {
                    let fields = DebeziumLogicalType.variableScaleFields
                    var schema = logical("struct", .variableScaleDecimal)
                    schema.fields = [
                        (fields.scale, ConnectSchema(type: "int32", isOptional: false)),
                        (fields.value, ConnectSchema(type: "bytes", isOptional: false)),
                    ]
                    schema.doc = DebeziumLogicalType.variableScaleDoc
                    return (schema, .variableScaleDecimal)
                }
                return (
                    logical(
                        "bytes", .decimal,
                        [DebeziumLogicalType.scaleParameter: String(scale), DebeziumLogicalType.precisionParameter: String(precision)]),
                    .decimal(scale: scale)
                )
            case .string:
                // As `column.propagate.source.type` marks it, so that a reader can tell a number from text.
                return (ConnectSchema(type: "string", parameters: [DebeziumLogicalType.sourceTypeParameter: "NUMERIC"]), .decimalText)
            case .double:
                return (ConnectSchema(type: "float64"), .decimalDouble)
            }
        case "json", "jsonb": return (logical("string", .json), .json)
        case "uuid": return (logical("string", .uuid), .asIs)
        case "xml": return (logical("string", .xml), .asIs)
        case "date": return (logical("int32", .date), .date)
        case "time":
            return column.timePrecision <= 3
                ? (logical("int32", .time), .timeMillis) : (logical("int64", .microTime), .timeMicros)
        case "timetz": return (logical("string", .zonedTime), .zonedTime)
        case "timestamp":
            return column.timePrecision <= 3
                ? (logical("int64", .timestamp), .timestampMillis) : (logical("int64", .microTimestamp), .timestampMicros)
        case "timestamptz": return (logical("string", .zonedTimestamp), .asIs)
        default:
            // text, varchar, bpchar, name, interval, money, inet, …: PostgreSQL's text.
            return (ConnectSchema(type: "string"), .asIs)
        }
    }

    /// The value in Debezium's form; `fail` builds the error naming what has none.
    func encode(_ value: JSONValue, fail: (String) -> DebeziumEncodingError) throws(DebeziumEncodingError) -> JSONValue {
        try Self.encode(value, kind, fail: fail)
    }

    private static func encode(
        _ value: JSONValue, _ kind: Kind, fail: (String) -> DebeziumEncodingError
    ) throws(DebeziumEncodingError) -> JSONValue {
        if value == .null { return .null }
        func text() throws(DebeziumEncodingError) -> String {
            switch value {
            case .string(let text), .number(let text): return text
            default: throw fail("expected text, found \(value.kindDescription)")
            }
        }
        func converted(_ result: Int64?, _ what: String) throws(DebeziumEncodingError) -> JSONValue {
            guard let result else { throw fail("\(what) \(value.jsonText) has no Debezium form") }
            return .integer(result)
        }
        switch kind {
        case .asIs:
            return value
        case .decimal(let scale):
            // NaN has no unscaled form: Debezium writes null for it.
            guard case .number(let digits) = value else { return .null }
            guard let bytes = DebeziumDecimal.unscaledBytes(of: digits, scale: scale) else {
                throw fail("\(digits) does not fit the column's scale \(scale)")
            }
            return .string(Base64.encode(bytes))
        case .variableScaleDecimal:
            guard case .number(let digits) = value else { return .null }
            let scale = digits.split(separator: ".", maxSplits: 1).dropFirst().first?.count ?? 0
            guard let bytes = DebeziumDecimal.unscaledBytes(of: digits, scale: scale) else {
                throw fail("\(digits) is not a decimal number")
            }
            let fields = DebeziumLogicalType.variableScaleFields
            return [fields.scale: .integer(scale), fields.value: .string(Base64.encode(bytes))]
        case .decimalText:
            return .string(try text())
        case .decimalDouble:
            guard case .number(let digits) = value, let double = Double(digits) else { return .string(try text()) }
            return .number("\(double)")
        case .json:
            return .string(String(decoding: value.jsonBytes, as: UTF8.self))
        case .date:
            return try converted(DebeziumTemporal.epochDays(ofDate: try text()), "date")
        case .timeMillis:
            return try converted(DebeziumTemporal.microseconds(ofTime: try text()).map { $0 / 1000 }, "time")
        case .timeMicros:
            return try converted(DebeziumTemporal.microseconds(ofTime: try text()), "time")
        case .zonedTime:
            guard let utc = DebeziumTemporal.utcTime(ofZonedTime: try text()) else {
                throw fail("timetz \(value.jsonText) has no Debezium form")
            }
            return .string(utc)
        case .timestampMillis:
            return try converted(
                DebeziumTemporal.epochMicroseconds(ofTimestamp: try text()).map { $0 / 1000 }, "timestamp")
        case .timestampMicros:
            return try converted(DebeziumTemporal.epochMicroseconds(ofTimestamp: try text()), "timestamp")
        case .array(let elementKind):
            guard case .array(let elements) = value else { throw fail("expected an array, found \(value.kindDescription)") }
            var result: [JSONValue] = []
            result.reserveCapacity(elements.count)
            for element in elements { result.append(try encode(element, elementKind, fail: fail)) }
            return .array(result)
        }
    }

    /// Debezium's placeholder for a value PostgreSQL did not send (unchanged TOAST), in the shape of the column's
    /// schema (`DebeziumColumnValue.isUnavailable` reads each).
    var unavailableValue: JSONValue {
        let text = DebeziumColumnValue.unavailablePlaceholder
        let bytes = Array(text.utf8)
        func shaped(_ schema: ConnectSchema) -> JSONValue {
            switch schema.type {
            case "string": .string(text)
            case "array":
                switch schema.items.first?.type {
                case "string"?: .array([.string(text)])
                case "bytes"?: .array([.string(Base64.encode(bytes))])
                default: .array(bytes.map { .integer($0) })
                }
            default: .string(Base64.encode(bytes))
            }
        }
        return shaped(schema)
    }

    /// What Debezium puts in a required column of a delete's `before` when the WAL holds only the key (replica
    /// identity default): the type's empty value, as a Connect struct cannot hold null there.
    var emptyValue: JSONValue {
        if schema.isOptional { return .null }
        switch (schema.type, kind) {
        case (_, .variableScaleDecimal):
            return [DebeziumLogicalType.variableScaleFields.scale: .integer(0), DebeziumLogicalType.variableScaleFields.value: .string(Base64.encode([0]))]
        case (_, .decimal): return .string(Base64.encode([0]))
        case ("bytes", _): return .string("")
        case ("string", _): return .string("")
        case ("boolean", _): return .bool(false)
        case ("array", _): return .array([])
        default: return .integer(0)
        }
    }
}

extension JSONValue {
    /// The value as compact JSON text, for messages.
    var jsonText: String { String(decoding: jsonBytes, as: UTF8.self) }
}
