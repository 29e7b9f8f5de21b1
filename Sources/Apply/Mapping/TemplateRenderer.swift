/// Fills one attribute mapping's templates from a row, turning what is missing into the right outcome:
/// a column absent from the row is an error; a NULL column leaves the attribute (or map entry) out, unless
/// the attribute is a key, which cannot be left out.
struct TemplateRenderer {
    let row: RowValues
    let ruleId: String
    let attribute: String
    let nullIsError: Bool

    /// The filled text; nil when a NULL column leaves it out.
    func text(_ template: ValueTemplate) throws(MappingError) -> String? {
        switch try template.render({ (column) throws(MappingError) in try row.value(of: column) }) {
        case .text(let text):
            return text
        case .missing(let column, let isNull):
            guard isNull, !nullIsError else { throw .missingColumn(ruleId: ruleId, column: column) }
            return nil
        }
    }

    func string(_ template: ValueTemplate) throws(MappingError) -> DynamoDBAttributeValue? {
        try text(template).map { .s($0) }
    }

    /// `attribute-sub-type` number: the filled text must be a number DynamoDB can hold.
    func number(_ template: ValueTemplate) throws(MappingError) -> DynamoDBAttributeValue? {
        guard let text = try text(template) else { return nil }
        guard DynamoDBNumber(text)?.fitsDynamoDB == true else {
            throw .invalidValue(ruleId: ruleId, attribute: attribute, value: text, expected: "a DynamoDB number")
        }
        return .n(text)
    }

    /// A document template; map entries over NULL columns are left out, list elements become NULL so the
    /// others keep their positions.
    func document(_ template: DocumentTemplate) throws(MappingError) -> DynamoDBAttributeValue? {
        switch template {
        case .constant(let value):
            return value
        case .string(let text):
            return try string(text)
        case .number(let text):
            return try number(text)
        case .map(let entries):
            var map = DynamoDBItem(minimumCapacity: entries.count)
            for entry in entries {
                map[entry.name] = try document(entry.value)
            }
            return .m(map)
        case .list(let elements):
            var list: [DynamoDBAttributeValue] = []
            list.reserveCapacity(elements.count)
            for element in elements {
                list.append(try document(element) ?? .null)
            }
            return .l(list)
        }
    }
}
