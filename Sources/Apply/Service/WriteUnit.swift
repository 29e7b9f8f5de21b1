/// What goes to DynamoDB as one request: a single version-conditioned write, or (`--write-mode bulk`) a batch of
/// up to 25 whole-item puts and deletes for one BatchWriteItem.
enum WriteUnit: Sendable {
    case single(ItemWrite)
    case batch([ItemWrite])

    var writes: [ItemWrite] {
        switch self {
        case .single(let write): [write]
        case .batch(let writes): writes
        }
    }

    /// Splits coalesced writes (at most one per item, as BatchWriteItem requires) into request units. Partial
    /// updates (records with `unchanged` columns) and writes under a `condition-expression` cannot be batched and
    /// stay single in bulk mode too.
    static func units(_ writes: [ItemWrite], mode: ApplyOptions.WriteMode) -> [WriteUnit] {
        guard mode == .bulk else { return writes.map(WriteUnit.single) }
        var batchable: [ItemWrite] = []
        var units: [WriteUnit] = []
        for write in writes {
            let isPartial = if case .update = write.action { true } else { false }
            if isPartial || write.condition != nil { units.append(.single(write)) } else { batchable.append(write) }
        }
        let size = DynamoDBClient.batchWriteLimit
        for start in stride(from: 0, to: batchable.count, by: size) {
            units.append(.batch(Array(batchable[start..<min(start + size, batchable.count)])))
        }
        return units
    }
}
