/// Scan: reads a whole table or index, a page (at most 1 MB) per call.
public struct ScanInput: Sendable, Hashable {
    public var tableName: String
    public var indexName: String?
    public var filterExpression: String?
    public var projectionExpression: String?
    public var expressionAttributeNames: [String: String]
    public var expressionAttributeValues: DynamoDBItem
    public var exclusiveStartKey: DynamoDBItem?
    public var limit: Int?
    public var consistentRead: Bool
    /// For a parallel scan: this worker's segment of `totalSegments`.
    public var segment: ScanSegment?
    /// `COUNT` answers with counts only (`ItemPage.count`), no items; nil: the items.
    public var select: ScanSelect?

    public init(
        tableName: String,
        indexName: String? = nil,
        filterExpression: String? = nil,
        projectionExpression: String? = nil,
        expressionAttributeNames: [String: String] = [:],
        expressionAttributeValues: DynamoDBItem = [:],
        exclusiveStartKey: DynamoDBItem? = nil,
        limit: Int? = nil,
        consistentRead: Bool = false,
        segment: ScanSegment? = nil,
        select: ScanSelect? = nil
    ) {
        self.tableName = tableName
        self.indexName = indexName
        self.filterExpression = filterExpression
        self.projectionExpression = projectionExpression
        self.expressionAttributeNames = expressionAttributeNames
        self.expressionAttributeValues = expressionAttributeValues
        self.exclusiveStartKey = exclusiveStartKey
        self.limit = limit
        self.consistentRead = consistentRead
        self.segment = segment
        self.select = select
    }

    var requestBody: DynamoDBRequestBody {
        var body = DynamoDBRequestBody()
        body.add("TableName", tableName)
        body.add("IndexName", indexName)
        body.add("FilterExpression", filterExpression)
        body.add("ProjectionExpression", projectionExpression)
        body.addExpressionAttributes(names: expressionAttributeNames, values: expressionAttributeValues)
        body.add("ExclusiveStartKey", item: exclusiveStartKey)
        body.add("Limit", limit)
        body.add("ConsistentRead", consistentRead ? true : nil)
        body.add("Segment", segment?.index)
        body.add("TotalSegments", segment?.total)
        body.add("Select", select?.rawValue)
        return body
    }
}

/// What a Scan returns (its `Select` parameter), where Ferry needs other than the default.
public enum ScanSelect: String, Sendable, Hashable {
    case count = "COUNT"
}

/// One worker's share of a parallel scan: segment `index` (0-based) of `total`.
public struct ScanSegment: Sendable, Hashable {
    public var index: Int
    public var total: Int

    public init(index: Int, total: Int) {
        self.index = index
        self.total = total
    }
}

extension DynamoDBClient {
    /// One page of results; see `ItemPage.lastEvaluatedKey` for the next.
    public func scan(_ input: ScanInput) async throws -> ItemPage {
        let response = try await invoke(.scan, table: input.tableName, body: input.requestBody.json)
        return try ItemPage(response)
    }

    /// Scans to the end, following `LastEvaluatedKey`, handing each page to `body` as it arrives so a large table
    /// need not fit in memory.
    public func scanPages(_ input: ScanInput, _ body: ([DynamoDBItem]) async throws -> Void) async throws {
        try await forEachPage(of: input) { try await body($0.items) }
    }

    /// How many items of the table (or index) pass the filter, counted by DynamoDB page by page: no item is
    /// transferred.
    public func countItems(_ input: ScanInput) async throws -> Int {
        var request = input
        request.select = .count
        var count = 0
        try await forEachPage(of: request) { count += $0.count }
        return count
    }

    /// Every item of the table (or index) that passes the filter.
    public func scanAll(_ input: ScanInput) async throws -> [DynamoDBItem] {
        var items: [DynamoDBItem] = []
        try await scanPages(input) { items.append(contentsOf: $0) }
        return items
    }

    private func forEachPage(of input: ScanInput, _ body: (ItemPage) async throws -> Void) async throws {
        var request = input
        while true {
            let page = try await scan(request)
            try await body(page)
            guard let next = page.lastEvaluatedKey else { return }
            request.exclusiveStartKey = next
        }
    }
}
