extension DynamoDBClient {
    /// Writes every request, in BatchWriteItem calls of 25, re-sending what DynamoDB returns as unprocessed
    /// with the retry policy's backoff. Each call's requests must address distinct keys.
    ///
    /// Throws a `DynamoDBError` with `.unprocessedItems` (everything not yet written) when a call still has
    /// unprocessed items after `retryPolicy.maxAttempts` rounds.
    public func batchWriteAll(_ requestItems: [String: [WriteRequest]]) async throws {
        let writes = requestItems.sorted { $0.key < $1.key }.flatMap { table, requests in
            requests.map { (table: table, request: $0) }
        }
        var start = 0
        while start < writes.count {
            let end = min(start + Self.batchWriteLimit, writes.count)
            let chunk = Dictionary(grouping: writes[start..<end], by: \.table).mapValues { $0.map(\.request) }
            try await writeUntilProcessed(chunk, notYetSent: writes[end...])
            start = end
        }
    }

    /// `batchWriteAll` for one table.
    public func batchWriteAll(table: String, _ requests: [WriteRequest]) async throws {
        try await batchWriteAll([table: requests])
    }

    private func writeUntilProcessed(
        _ chunk: [String: [WriteRequest]],
        notYetSent: ArraySlice<(table: String, request: WriteRequest)>
    ) async throws {
        let policy = configuration.retryPolicy
        var pending = chunk
        var round = 1
        while true {
            pending = try await batchWriteItem(pending)
            if pending.isEmpty { return }
            let count = pending.values.reduce(0) { $0 + $1.count }
            guard policy.allowsRetry(after: round) else {
                var remaining = pending
                for write in notYetSent { remaining[write.table, default: []].append(write.request) }
                let singleTable = remaining.count == 1 ? remaining.keys.first : nil
                throw DynamoDBError(.unprocessedItems(remaining), operation: .batchWriteItem, table: singleTable)
            }
            let delay = policy.delay(beforeRetry: round)
            logger.info("DynamoDB left batch items unprocessed, re-sending", metadata: [
                "dynamodb.operation": "\(DynamoDBOperation.batchWriteItem)",
                "dynamodb.tables": "\(pending.keys.sorted().joined(separator: ","))",
                "unprocessed": "\(count)",
                "round": "\(round)",
                "retry.delay_ms": "\(Int(delay.seconds * 1000))",
            ])
            DynamoDBRetryReason.count(.unprocessedItems, operation: .batchWriteItem, by: count)
            try await policy.sleep(delay)
            round += 1
        }
    }
}
