import Shared

extension DynamoDBClient {
    /// DynamoDB's limit of write requests per BatchWriteItem call.
    public static let batchWriteLimit = 25

    /// One BatchWriteItem call (at most 25 requests, at most one per key). Returns the requests DynamoDB did not
    /// process (throttled); they must be sent again: `batchWriteAll` does.
    public func batchWriteItem(_ requestItems: [String: [WriteRequest]]) async throws -> [String: [WriteRequest]] {
        let tables = requestItems.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
        let body: JSONValue = [
            "RequestItems": .object(JSONObject(tables.map { ($0.key, .array($0.value.map(\.json))) })),
        ]
        let singleTable = tables.count == 1 ? tables.first?.key : nil
        let response = try await invoke(.batchWriteItem, table: singleTable, body: body)
        guard let unprocessed = response.nested("UnprocessedItems") else { return [:] }
        var remaining: [String: [WriteRequest]] = [:]
        for field in unprocessed.object.fields {
            guard case .array(let requests) = field.value else {
                throw response.malformed("UnprocessedItems.\(field.name) is not an array")
            }
            var decoded: [WriteRequest] = []
            for request in requests {
                guard let writeRequest = WriteRequest(json: request) else {
                    throw response.malformed("unreadable request in UnprocessedItems.\(field.name)")
                }
                decoded.append(writeRequest)
            }
            if !decoded.isEmpty { remaining[field.name] = decoded }
        }
        return remaining
    }
}
