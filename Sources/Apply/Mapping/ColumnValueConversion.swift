import Shared

/// Turns a record's column value into a DynamoDB value, following the record's `types` (docs/design.md,
/// "Mapping to DynamoDB"): numbers → N with their exact digits (`NaN`/`Infinity`, which records carry as
/// strings, → S), text, dates and timestamps → S, bool → BOOL, bytea (base64 in the record) → B,
/// json/jsonb → M/L/S/N/BOOL as the document is shaped, arrays → L. SQL NULL → nil: the attribute is
/// left out, as DMS does; inside documents and arrays a null stays a NULL.
enum ColumnValueConversion {
    /// - Parameter typeName: the column's entry in the record's `types` (`int4`, `bytea`, `text[]`); nil
    ///   when unknown, and then the JSON shape decides.
    static func attributeValue(_ value: JSONValue, typeName: String?, column: String) throws(MappingError)
        -> DynamoDBAttributeValue?
    {
        switch value {
        case .null: return nil
        case .string, .array: return try convert(value, asBytea: typeName.map(isBytea) ?? false, column: column)
        case .bool, .number, .object: return try convert(value, asBytea: false, column: column)
        }
    }

    /// `bytea` and `bytea[]` hold base64 strings; every other type's strings are text.
    private static func isBytea(_ typeName: String) -> Bool {
        typeName == "bytea" || typeName == "bytea[]"
    }

    private static func convert(_ value: JSONValue, asBytea: Bool, column: String) throws(MappingError)
        -> DynamoDBAttributeValue
    {
        switch value {
        case .null:
            return .null
        case .bool(let flag):
            return .bool(flag)
        case .number(let digits):
            guard DynamoDBNumber(digits)?.fitsDynamoDB == true else {
                throw .numberOutOfRange(column: column, value: digits)
            }
            return .n(digits)
        case .string(let text):
            guard asBytea else { return .s(text) }
            guard let bytes = Base64.decode(text) else { throw .invalidBytea(column: column) }
            return .b(bytes)
        case .array(let elements):
            var list: [DynamoDBAttributeValue] = []
            list.reserveCapacity(elements.count)
            for element in elements {
                list.append(try convert(element, asBytea: asBytea, column: column))
            }
            return .l(list)
        case .object(let object):
            var map = DynamoDBItem(minimumCapacity: object.count)
            for field in object.fields {
                map[field.name] = try convert(field.value, asBytea: false, column: column)
            }
            return .m(map)
        }
    }
}
