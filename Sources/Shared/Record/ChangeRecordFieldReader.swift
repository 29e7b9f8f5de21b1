/// Typed access to the fields of one JSON object of a record, failing with the field's path.
/// Unknown fields are ignored; a null counts as absent for the optional ones.
struct FieldReader {
    let object: JSONObject
    let path: String
    let part: ChangeRecordDecodingError.Part

    init(_ object: JSONObject, path: String, part: ChangeRecordDecodingError.Part) {
        self.object = object
        self.path = path
        self.part = part
    }

    func string(_ name: String) throws(ChangeRecordDecodingError) -> String {
        let value = try required(name)
        guard case .string(let text) = value else { throw wrongType(name, expected: "a string", found: value) }
        return text
    }

    func optionalString(_ name: String) throws(ChangeRecordDecodingError) -> String? {
        guard let value = object[name], value != .null else { return nil }
        guard case .string(let text) = value else { throw wrongType(name, expected: "a string or null", found: value) }
        return text
    }

    func bool(_ name: String) throws(ChangeRecordDecodingError) -> Bool {
        let value = try required(name)
        guard case .bool(let flag) = value else { throw wrongType(name, expected: "a boolean", found: value) }
        return flag
    }

    func int64(_ name: String) throws(ChangeRecordDecodingError) -> Int64 {
        try int64(name, from: try required(name), expected: "an integer")
    }

    func optionalInt64(_ name: String) throws(ChangeRecordDecodingError) -> Int64? {
        guard let value = object[name], value != .null else { return nil }
        return try int64(name, from: value, expected: "an integer or null")
    }

    func lsn(_ name: String) throws(ChangeRecordDecodingError) -> LSN {
        let text = try string(name)
        guard let lsn = LSN(text) else { throw failure(at: name, .invalidLSN(text)) }
        return lsn
    }

    func operation(_ name: String) throws(ChangeRecordDecodingError) -> Operation {
        let code = try string(name)
        guard let operation = Operation(rawValue: code) else { throw failure(at: name, .unknownOperation(code)) }
        return operation
    }

    func object(_ name: String) throws(ChangeRecordDecodingError) -> FieldReader {
        let value = try required(name)
        guard case .object(let child) = value else { throw wrongType(name, expected: "an object", found: value) }
        return FieldReader(child, path: childPath(name), part: part)
    }

    func optionalObject(_ name: String) throws(ChangeRecordDecodingError) -> JSONObject? {
        switch object[name] {
        case nil, .null?: return nil
        case .object(let child)?: return child
        case let value?: throw wrongType(name, expected: "an object or null", found: value)
        }
    }

    /// The `types` map: an object of type-name strings, in column order. Absent means no columns.
    func columnTypes(_ name: String) throws(ChangeRecordDecodingError) -> [ColumnType] {
        switch object[name] {
        case nil, .null?: return []
        case .object(let map)?: return try Self.columnTypes(map, path: childPath(name), part: part)
        case let value?: throw wrongType(name, expected: "an object", found: value)
        }
    }

    /// An array of strings such as `unchanged`. Absent means empty.
    func strings(_ name: String) throws(ChangeRecordDecodingError) -> [String] {
        switch object[name] {
        case nil, .null?: return []
        case .array(let elements)?: return try Self.strings(elements, path: childPath(name), part: part)
        case let value?: throw wrongType(name, expected: "an array", found: value)
        }
    }

    /// The entries of a `types` map at `path`, in column order (also `CanonicalRecordReader`'s conversion).
    static func columnTypes(
        _ map: JSONObject, path: String, part: ChangeRecordDecodingError.Part
    ) throws(ChangeRecordDecodingError) -> [ColumnType] {
        var types: [ColumnType] = []
        types.reserveCapacity(map.count)
        for field in map.fields {
            guard case .string(let typeName) = field.value else {
                throw ChangeRecordDecodingError(
                    part: part, path: path + "." + field.name,
                    problem: .wrongType(expected: "a string", found: field.value.kindDescription))
            }
            types.append(ColumnType(column: field.name, typeName: typeName))
        }
        return types
    }

    /// The elements of an array of strings at `path` (also `CanonicalRecordReader`'s conversion).
    static func strings(
        _ elements: [JSONValue], path: String, part: ChangeRecordDecodingError.Part
    ) throws(ChangeRecordDecodingError) -> [String] {
        var strings: [String] = []
        strings.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            guard case .string(let text) = element else {
                throw ChangeRecordDecodingError(
                    part: part, path: "\(path)[\(index)]",
                    problem: .wrongType(expected: "a string", found: element.kindDescription))
            }
            strings.append(text)
        }
        return strings
    }

    // MARK: Helpers

    private func required(_ name: String) throws(ChangeRecordDecodingError) -> JSONValue {
        guard let value = object[name] else { throw failure(at: name, .missingField) }
        return value
    }

    private func int64(_ name: String, from value: JSONValue, expected: String) throws(ChangeRecordDecodingError)
        -> Int64
    {
        guard case .number(let text) = value else { throw wrongType(name, expected: expected, found: value) }
        guard let integer = Int64(text) else { throw failure(at: name, .notAnInt64(text)) }
        return integer
    }

    private func childPath(_ name: String) -> String {
        path.isEmpty ? name : path + "." + name
    }

    private func wrongType(_ name: String, expected: String, found: JSONValue) -> ChangeRecordDecodingError {
        failure(at: name, .wrongType(expected: expected, found: found.kindDescription))
    }

    func failure(at name: String, _ problem: ChangeRecordDecodingError.Problem) -> ChangeRecordDecodingError {
        ChangeRecordDecodingError(part: part, path: childPath(name), problem: problem)
    }
}

extension JSONValue {
    /// "a string", "null", ...: for error messages.
    var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number(let text): "the number \(text)"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
