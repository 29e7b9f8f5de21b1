import Apply

/// Whether two attribute values mean the same thing to DynamoDB: numbers compare by value (at any depth, inside
/// maps and lists too), sets compare as sets (DynamoDB does not keep their order), everything else exactly.
enum AttributeEquivalence {
    static func equivalent(_ lhs: DynamoDBAttributeValue, _ rhs: DynamoDBAttributeValue) -> Bool {
        switch (lhs, rhs) {
        case (.n(let left), .n(let right)):
            return left == right || (DecimalNormalForm(left).map { $0 == DecimalNormalForm(right) } ?? false)
        case (.ns(let left), .ns(let right)):
            return Set(left.map(DecimalNormalForm.init)) == Set(right.map(DecimalNormalForm.init))
        case (.ss(let left), .ss(let right)):
            return Set(left) == Set(right)
        case (.bs(let left), .bs(let right)):
            return Set(left) == Set(right)
        case (.m(let left), .m(let right)):
            return left.count == right.count
                && left.allSatisfy { name, value in right[name].map { equivalent(value, $0) } ?? false }
        case (.l(let left), .l(let right)):
            return left.count == right.count && zip(left, right).allSatisfy(equivalent)
        default:
            return lhs == rhs
        }
    }
}
