import Shared

/// A successful response document, with typed accessors that turn a protocol violation into a
/// `DynamoDBError` naming the operation, table and field.
struct DynamoDBResponse {
    let object: JSONObject
    let operation: DynamoDBOperation
    let table: String?
    let httpStatus: Int

    func malformed(_ reason: String) -> DynamoDBError {
        DynamoDBError(.malformedResponse(httpStatus: httpStatus, reason: reason), operation: operation, table: table)
    }

    func string(_ name: String) -> String? {
        guard case .string(let text)? = object[name] else { return nil }
        return text
    }

    func int(_ name: String) -> Int? {
        guard case .number(let text)? = object[name] else { return nil }
        return Int(text)
    }

    func nested(_ name: String) -> DynamoDBResponse? {
        guard case .object(let nested)? = object[name] else { return nil }
        return DynamoDBResponse(object: nested, operation: operation, table: table, httpStatus: httpStatus)
    }

    func array(_ name: String) -> [DynamoDBResponse] {
        guard case .array(let elements)? = object[name] else { return [] }
        return elements.compactMap { element in
            guard case .object(let nested) = element else { return nil }
            return DynamoDBResponse(object: nested, operation: operation, table: table, httpStatus: httpStatus)
        }
    }

    /// An optional item field (`Item`, `Attributes`, `LastEvaluatedKey`).
    func item(_ name: String) throws(DynamoDBError) -> DynamoDBItem? {
        guard let json = object[name] else { return nil }
        do {
            return try DynamoDBItem(dynamoDBJSON: json)
        } catch {
            throw malformed("\(name): \(error)")
        }
    }

    /// A list of items (`Items`); absent means none.
    func items(_ name: String) throws(DynamoDBError) -> [DynamoDBItem] {
        guard let json = object[name] else { return [] }
        guard case .array(let elements) = json else { throw malformed("\(name) is not an array") }
        var items: [DynamoDBItem] = []
        items.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            do {
                items.append(try DynamoDBItem(dynamoDBJSON: element))
            } catch {
                throw malformed("\(name)[\(index)]: \(error)")
            }
        }
        return items
    }
}
