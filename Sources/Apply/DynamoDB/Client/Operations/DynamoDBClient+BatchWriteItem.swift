import Shared

extension DynamoDBClient {
    /// DynamoDB's limit of write requests per BatchWriteItem call.
    public static let batchWriteLimit = 25

    /// One BatchWriteItem call (at most 25 requests, at most one per key). Returns the requests DynamoDB did not
    /// process (throttled); they must be sent again: `batchWriteAll` does.
    public func batchWriteItem(_ requestItems: [String: [WriteRequest]]) async throws -> [String: [WriteRequest]] {
        let tables = requestItems.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
        let singleTable = tables.count == 1 ? tables.first?.key : nil
        let response = try await invoke(
            .batchWriteItem, table: singleTable, payload: Self.batchWriteBody(tables),
            writeCost: {
                tables.flatMap { table in table.value.map { (table.key, $0) } }
                    .writeCapacityCost(table: \.0, units: \.1.writeCapacityUnits)
            },
            throttledTables: Self.tablesWithUnprocessedItems)
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

    /// The tables a BatchWriteItem answer returned items of unprocessed: DynamoDB's throttling of a batch.
    static func tablesWithUnprocessedItems(_ response: DynamoDBResponse) -> Set<String> {
        let fields = response.nested("UnprocessedItems")?.object.fields ?? []
        return Set(fields.filter { if case .array(let requests) = $0.value { !requests.isEmpty } else { false } }.map(\.name))
    }

    /// `{"RequestItems":{"<table>":[<request>,…],…}}`, written straight to bytes (the bulk load's hot path).
    static func batchWriteBody(_ tables: [(key: String, value: [WriteRequest])]) -> [UInt8] {
        var sink = ByteSink(capacity: 512 * tables.reduce(0) { $0 + $1.value.count })
        sink.append(#"{"RequestItems":{"#)
        for (tableIndex, table) in tables.enumerated() {
            if tableIndex > 0 { sink.append(UInt8(ascii: ",")) }
            sink.writeJSONString(table.key)
            sink.append(":[")
            for (index, request) in table.value.enumerated() {
                if index > 0 { sink.append(UInt8(ascii: ",")) }
                request.write(to: &sink)
            }
            sink.append("]")
        }
        sink.append("}}")
        return Array(sink.bytes)
    }
}
