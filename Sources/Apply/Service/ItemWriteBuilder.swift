import Shared

/// Turns a row change into the write of its item, through the table's mapping.
enum ItemWriteBuilder {
    /// - Parameters:
    ///   - versionAttribute: counted in the item size, since every written item carries it.
    ///   - truncation: under limited LOB mode, the attribute naming what it cut, and the columns it cut in `record`.
    static func write(
        for record: ChangeRecord, mapper: ItemMapper, versionAttribute: String, origin: MessageOrigin,
        truncation: TruncationMarker? = nil
    ) throws(ApplyRecordError) -> ItemWrite {
        let source = record.source
        let key: DynamoDBItem
        let action: ItemWrite.Action
        do {
            switch record.op {
            case .read, .create, .update:
                guard let after = record.after else {
                    throw ApplyRecordError.undecodable("op \(record.op.rawValue) without \"after\"")
                }
                var item = try mapper.item(for: after, types: record.types, header: RecordHeader(record))
                let marked = truncation?.mark(&item, record: record, mapper: mapper)
                let size = item.approximateDynamoDBSize + versionAttribute.utf8.count + ItemVersion.maximumSize
                guard size <= DynamoDBAttributeValue.maximumItemSize else {
                    throw ApplyRecordError.itemTooLarge(bytes: size)
                }
                if record.unchanged.isEmpty {
                    // The version goes in while the item has one owner: the writer finds it there rather than
                    // copying the whole item to add it. (A version out of range is left to the writer to refuse.)
                    if let number = try? ItemVersion.number(for: record.version) { item[versionAttribute] = .n(number) }
                    key = mapper.key(of: item)
                    action = .put(item)
                } else {
                    key = mapper.key(of: item)
                    var remove = removedAttributes(of: after, item: item, mapper: mapper)
                    if let truncation, marked == false { remove.insert(truncation.attribute) }
                    action = .update(set: item.filter { key[$0.key] == nil }, remove: remove)
                }
            case .delete:
                guard let row = record.before ?? record.key else {
                    throw ApplyRecordError.undecodable("delete without a key")
                }
                key = try mapper.key(for: row, types: record.types)
                if mapper.softDeletes {
                    // As DMS does with operation_indicator(): the item stays, flagged as deleted.
                    let flags = try mapper.softDelete(of: row, types: record.types, header: RecordHeader(record))
                    action = .update(set: flags.set, remove: flags.remove)
                } else {
                    action = .delete
                }
            case .truncate:
                throw ApplyRecordError.undecodable("a truncate is not a row change")
            }
        } catch let error as ApplyRecordError {
            throw error
        } catch {
            throw .unmappable("\(error)")
        }
        return ItemWrite(
            sourceTable: mapper.sourceTableName, targetTable: mapper.targetTableName, key: key,
            action: action, version: record.version, op: record.op, commitTimeMs: source.tsMs, origin: origin,
            condition: mapper.writeCondition)
    }

    /// The delete of the item an update moves its row away from: when the old row (`before`, which PostgreSQL sends
    /// with `REPLICA IDENTITY FULL`) maps to another item key than the new row, as a key template over a non-key
    /// column does when that column changes. Conditioned like any write on the update's version, so it removes only
    /// an older item. Nil when the key stays, or without a `before` that names the old key.
    static func deleteOfMovedItem(
        for record: ChangeRecord, newKey: DynamoDBItem, mapper: ItemMapper, origin: MessageOrigin
    ) -> ItemWrite? {
        guard record.op == .update, let before = record.before,
            let oldKey = try? mapper.key(for: before, types: record.types), oldKey != newKey
        else { return nil }
        return ItemWrite(
            sourceTable: mapper.sourceTableName, targetTable: mapper.targetTableName, key: oldKey, action: .delete,
            version: record.version, op: .delete, commitTimeMs: record.source.tsMs, origin: origin,
            condition: mapper.writeCondition)
    }

    /// The attributes a partial update must remove: those the row's NULL columns would have given. (A full put
    /// drops them by leaving them out; an UpdateItem keeps whatever it does not touch.)
    private static func removedAttributes(of row: JSONObject, item: DynamoDBItem, mapper: ItemMapper) -> Set<String> {
        guard row.fields.contains(where: { $0.value == .null }) else { return [] }
        let filled = JSONObject(fields: row.fields.map { field in
            field.value == .null ? JSONObject.Field(name: field.name, value: .string("null")) : field
        })
        // The mapping of a row without NULLs names every attribute those columns produce.
        guard let everyAttribute = try? mapper.item(for: filled, types: []) else { return [] }
        return Set(everyAttribute.keys.filter { item[$0] == nil })
    }
}
