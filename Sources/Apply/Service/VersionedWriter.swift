import Shared

/// Sends an item write to DynamoDB conditioned on the stored version being absent or lower (docs/design.md,
/// invariant 5), so a redelivered or replayed record is a no-op and a stale one never overwrites a newer item.
struct VersionedWriter: Sendable {
    let client: DynamoDBClient
    let versionAttribute: String
    let deleteMode: ApplyOptions.DeleteMode
    /// Seconds since the epoch, for tombstone expiry.
    let nowSeconds: @Sendable () -> Int64

    /// True when the stored item is older than `:v` (or has no version): the write goes ahead.
    static let olderCondition = "attribute_not_exists(#v) OR #v < :v"

    /// - Throws: a `DynamoDBError` that may pass (throttling beyond the client's retries, an outage): the caller
    ///   retries the write later.
    func apply(_ write: ItemWrite) async throws -> WriteOutcome {
        let version: DynamoDBAttributeValue
        do {
            version = try versionValue(of: write)
        } catch {
            return .rejected(error)
        }
        do {
            try await send(write, version: version)
            return .applied
        } catch let error as DynamoDBError where error.isConditionalCheckFailed {
            guard let condition = write.condition else { return .alreadyApplied }
            return try await holdsOlderVersion(write, than: version)
                ? .rejected(.conditionFailed(ruleId: condition.ruleId)) : .alreadyApplied
        } catch let error as DynamoDBError where error.code == .validation {
            return .rejected(.rejected(error.description))
        }
    }

    /// Deletes the write's item whatever its version: for a tombstone that carries none (docs/design.md,
    /// "Tombstones"). A hard delete in either `--deletes` mode, having no version to mark a tombstone item with;
    /// with `--deletes tombstone` a tombstone item stays: it holds the delete's version, which keeps an older record
    /// arriving later from bringing the row back.
    func deleteByKey(_ write: ItemWrite) async throws {
        guard case .tombstone = deleteMode else {
            _ = try await client.deleteItem(DeleteItemInput(tableName: write.targetTable, key: write.key))
            return
        }
        do {
            _ = try await client.deleteItem(
                DeleteItemInput(
                    tableName: write.targetTable, key: write.key, conditionExpression: "attribute_not_exists(#d)",
                    expressionAttributeNames: ["#d": Tombstone.deletedAttribute]))
        } catch let error as DynamoDBError where error.isConditionalCheckFailed {
            return
        }
    }

    func versionValue(of write: ItemWrite) throws(ApplyRecordError) -> DynamoDBAttributeValue {
        .n(try ItemVersion.number(for: write.version))
    }

    /// The whole item a put or a tombstone delete stores, version included; nil for a hard delete and for a
    /// partial update, which store no whole item.
    func storedItem(for write: ItemWrite, version: DynamoDBAttributeValue) -> DynamoDBItem? {
        switch (write.action, deleteMode) {
        case (.put(var item), _):
            // Built with its version; a put that coalescing merged with a later update carries an older one.
            if item[versionAttribute] != version { item[versionAttribute] = version }
            return item
        case (.delete, .tombstone(let ttlDays)):
            var tombstone = write.key
            tombstone[versionAttribute] = version
            tombstone[Tombstone.deletedAttribute] = .bool(true)
            tombstone[Tombstone.expiryAttribute] = .n(String(nowSeconds() + Int64(ttlDays) * 86_400))
            return tombstone
        case (.delete, .hard), (.update, _):
            return nil
        }
    }

    /// Which condition a conditional write with a `condition-expression` failed: the version's when the item
    /// holds this version or a newer one, else the user's. Exact although read after the write failed: a stored
    /// version only grows, so one below this write's now was below it then.
    private func holdsOlderVersion(_ write: ItemWrite, than version: DynamoDBAttributeValue) async throws -> Bool {
        let stored = try await client.getItem(
            GetItemInput(
                tableName: write.targetTable, key: write.key, consistentRead: true, projectionExpression: "#v",
                expressionAttributeNames: ["#v": versionAttribute]))
        guard case .n(let storedDigits)? = stored?[versionAttribute], case .n(let digits) = version else { return true }
        // Both are whole numbers without leading zeros: the shorter is smaller, else the text orders them.
        return storedDigits.count != digits.count ? storedDigits.count < digits.count : storedDigits < digits
    }

    private func send(_ write: ItemWrite, version: DynamoDBAttributeValue) async throws {
        var names = ["#v": versionAttribute]
        var values: DynamoDBItem = [":v": version]
        var condition = Self.olderCondition
        if let user = write.condition {
            condition = "(\(Self.olderCondition)) AND (\(user.expression))"
            names.merge(user.names) { $1 }
            values.merge(user.values) { $1 }
        }
        if case .update(let set, let remove) = write.action {
            let update = UpdateExpression(set: set, remove: remove)
            try await client.updateItem(
                UpdateItemInput(
                    tableName: write.targetTable, key: write.key, updateExpression: update.text,
                    conditionExpression: condition,
                    expressionAttributeNames: update.names.merging(names) { $1 },
                    expressionAttributeValues: update.values.merging(values) { $1 }))
        } else if let item = storedItem(for: write, version: version) {
            try await client.putItem(
                PutItemInput(
                    tableName: write.targetTable, item: item, conditionExpression: condition,
                    expressionAttributeNames: names, expressionAttributeValues: values))
        } else {
            try await client.deleteItem(
                DeleteItemInput(
                    tableName: write.targetTable, key: write.key, conditionExpression: condition,
                    expressionAttributeNames: names, expressionAttributeValues: values))
        }
    }
}
