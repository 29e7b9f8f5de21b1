import Shared

/// One element of a BatchWriteItem call: a put of a whole item or a delete by key. No conditions: batches
/// cannot carry them, which is why Ferry batches only where the write need not be version-checked.
public enum WriteRequest: Sendable, Hashable {
    case put(item: DynamoDBItem)
    case delete(key: DynamoDBItem)

    /// `{"PutRequest":{"Item":…}}` or `{"DeleteRequest":{"Key":…}}`.
    func write(to sink: inout ByteSink) {
        switch self {
        case .put(let item):
            sink.append(#"{"PutRequest":{"Item":"#)
            sink.writeDynamoDBJSON(item)
        case .delete(let key):
            sink.append(#"{"DeleteRequest":{"Key":"#)
            sink.writeDynamoDBJSON(key)
        }
        sink.append("}}")
    }

    init?(json: JSONValue) {
        guard case .object(let object) = json else { return nil }
        if case .object(let put)? = object["PutRequest"], let item = put["Item"],
           let decoded = try? DynamoDBItem(dynamoDBJSON: item) {
            self = .put(item: decoded)
        } else if case .object(let delete)? = object["DeleteRequest"], let key = delete["Key"],
                  let decoded = try? DynamoDBItem(dynamoDBJSON: key) {
            self = .delete(key: decoded)
        } else {
            return nil
        }
    }
}
