import Shared

/// A `document` attribute-mapping value: DynamoDB JSON whose S and N strings may hold `${column}`
/// placeholders, as in the DMS guide's `ContactDetails` example (`{"M":{"Home":{"M":{"Phone":{"S":"${HomePhone}"}}}}}`).
indirect enum DocumentTemplate: Sendable {
    case constant(DynamoDBAttributeValue)
    case string(ValueTemplate)
    case number(ValueTemplate)
    case map([(name: String, value: DocumentTemplate)])
    case list([DocumentTemplate])

    /// - Parameter path: where `json` sits, for error messages.
    init(parsing json: JSONValue, path: String) throws(TemplateSyntaxError) {
        guard case .object(let object) = json, object.count == 1, let field = object.fields.first else {
            throw TemplateSyntaxError(reason: "\(path) must be DynamoDB JSON: an object with one type descriptor")
        }
        let fieldPath = "\(path).\(field.name)"
        switch (field.name, field.value) {
        case ("S", .string(let text)):
            self = .string(try ValueTemplate(parsing: text))
        case ("N", .string(let text)):
            self = .number(try ValueTemplate(parsing: text))
        case ("M", .object(let entries)):
            var map: [(name: String, value: DocumentTemplate)] = []
            for entry in entries.fields {
                map.append((entry.name, try DocumentTemplate(parsing: entry.value, path: "\(fieldPath).\(entry.name)")))
            }
            self = .map(map)
        case ("L", .array(let elements)):
            var list: [DocumentTemplate] = []
            for (index, element) in elements.enumerated() {
                list.append(try DocumentTemplate(parsing: element, path: "\(fieldPath)[\(index)]"))
            }
            self = .list(list)
        case ("B", _), ("BOOL", _), ("NULL", _):
            do throws(DynamoDBJSONError) {
                self = .constant(try DynamoDBAttributeValue(dynamoDBJSON: json))
            } catch {
                throw TemplateSyntaxError(reason: "\(fieldPath): \(error.reason)")
            }
        default:
            throw TemplateSyntaxError(
                reason: "\(fieldPath): unsupported here (document templates take S, N, B, BOOL, NULL, M and L)")
        }
    }
}
