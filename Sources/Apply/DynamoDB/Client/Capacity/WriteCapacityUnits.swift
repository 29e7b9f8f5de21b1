// What a write costs in write capacity units, counted as DynamoDB does ("Capacity unit consumption for write
// operations" in the Developer Guide): 1 unit per started KB of the item, at least 1; twice that in a transaction;
// a BatchWriteItem counts each item on its own. A failed condition costs as much as the write would have.
//
// DynamoDB charges the larger of the stored and the new item (and a delete the stored item), which the client does
// not know: it counts what it sends — the new item, a delete's key (1 unit), an update's key and values. Adaptive
// mode corrects what this misses, from the throttling answers.

/// Units per table of one request.
typealias WriteCapacityCost = [String: Double]

enum WriteCapacityUnits {
    /// Units of a standard write of an item of `size` bytes.
    static func standard(itemSize size: Int) -> Double {
        Double(max(1, (size + 1023) / 1024))
    }

    static let transactionFactor = 2.0
}

extension PutItemInput {
    var writeCapacityUnits: Double { WriteCapacityUnits.standard(itemSize: item.approximateDynamoDBSize) }
}

extension UpdateItemInput {
    var writeCapacityUnits: Double {
        WriteCapacityUnits.standard(
            itemSize: key.approximateDynamoDBSize + expressionAttributeValues.approximateDynamoDBSize)
    }
}

extension DeleteItemInput {
    var writeCapacityUnits: Double { WriteCapacityUnits.standard(itemSize: key.approximateDynamoDBSize) }
}

extension ConditionCheck {
    var writeCapacityUnits: Double { WriteCapacityUnits.standard(itemSize: key.approximateDynamoDBSize) }
}

extension WriteRequest {
    var writeCapacityUnits: Double {
        switch self {
        case .put(let item): WriteCapacityUnits.standard(itemSize: item.approximateDynamoDBSize)
        case .delete(let key): WriteCapacityUnits.standard(itemSize: key.approximateDynamoDBSize)
        }
    }
}

extension TransactWriteItem {
    var writeCapacityUnits: Double {
        let standard: Double = switch self {
        case .put(let input): input.writeCapacityUnits
        case .update(let input): input.writeCapacityUnits
        case .delete(let input): input.writeCapacityUnits
        case .conditionCheck(let check): check.writeCapacityUnits
        }
        return standard * WriteCapacityUnits.transactionFactor
    }
}

extension Sequence {
    /// The units of these requests, summed per table.
    func writeCapacityCost(table: (Element) -> String, units: (Element) -> Double) -> WriteCapacityCost {
        reduce(into: [:]) { cost, element in cost[table(element), default: 0] += units(element) }
    }
}
