import Logging

/// The start-up half of checking mappings against DynamoDB: an object-mapping rule that names both its target
/// table and its key attributes must agree with that table's key schema. Checked before any record is read, so a
/// mismatch stops apply at once, naming the rule-id; the first record of each table checks the rest (rules that
/// name no table or no key, tables that do not exist yet).
struct KeySchemaCheck {
    let client: DynamoDBClient
    let mappings: TableMappings
    let logger: Logger

    /// - Throws: `MappingConfigurationError.keySchemaMismatch` for the first rule that disagrees.
    func run() async throws {
        for rule in mappings.objectMappingRules {
            guard let table = rule.targetTableName.map({ $0 + mappings.targetTableSuffix }),
                let partitionKey = rule.partitionKeyName
            else { continue }
            let mapped = [partitionKey] + (rule.sortKeyName.map { [$0] } ?? [])
            let keySchema: [KeyAttribute]
            do {
                keySchema = try await client.describeTable(table).keyAttributes
            } catch let error as DynamoDBError {
                // Missing (it may be created by --target-table-prep) or unreachable now: the first record decides.
                logger.debug("key schema not checked at start-up", metadata: ["table": "\(table)", "error": "\(error)"])
                continue
            }
            guard mapped == keySchema.map(\.name) else {
                throw MappingConfigurationError.keySchemaMismatch(
                    ruleId: rule.id, mapped: mapped, tableKeys: keySchema.map(\.name))
            }
        }
    }
}
