import Shared

/// Sends write units. Single writes are version-conditioned (`VersionedWriter`). Batches (`--write-mode bulk`)
/// go out as BatchWriteItem without conditions, which batches cannot carry: meant for loading an empty table
/// from the topics in order, where nothing newer can be overwritten. The version attribute is stored either
/// way, so conditional mode can take over afterwards.
struct ItemWriter: Sendable {
    let client: DynamoDBClient
    let versioned: VersionedWriter

    /// One outcome per write of the unit, in order.
    /// - Throws: a `DynamoDBError` that may pass; the caller retries the unit's writes later.
    func send(_ unit: WriteUnit) async throws -> [WriteOutcome] {
        switch unit {
        case .single(let write): [try await versioned.apply(write)]
        case .batch(let writes): try await sendBatch(writes)
        }
    }

    private func sendBatch(_ writes: [ItemWrite]) async throws -> [WriteOutcome] {
        var outcomes = [WriteOutcome](repeating: .applied, count: writes.count)
        var requests: [String: [WriteRequest]] = [:]
        // By index, passing the element in place rather than copying each write (a handful of references).
        for index in writes.indices {
            do {
                let version = try versioned.versionValue(of: writes[index])
                let request = versioned.storedItem(for: writes[index], version: version).map(WriteRequest.put(item:))
                    ?? .delete(key: writes[index].key)
                requests[writes[index].targetTable, default: []].append(request)
            } catch {
                outcomes[index] = .rejected(error)
            }
        }
        guard !requests.isEmpty else { return outcomes }
        do {
            try await client.batchWriteAll(requests)
            return outcomes
        } catch let error as DynamoDBError where error.code == .validation {
            // One item DynamoDB refuses fails the whole batch: write them one at a time, so that only the culprit
            // is dead-lettered.
            var single: [WriteOutcome] = []
            for write in writes { single.append(try await versioned.apply(write)) }
            return single
        }
    }
}
