import Apply
import Testing

@testable import Tools

@Suite struct ItemComparisonTests {
    @Test func reportsChangedAbsentAndAddedAttributesInNameOrder() {
        let expected: DynamoDBItem = ["id": .n("1"), "amount": .n("10.50"), "note": .s("x"), "name": .s("a")]
        let stored: DynamoDBItem = ["id": .n("1"), "amount": .n("10.51"), "name": .s("a"), "zz": .bool(true)]
        #expect(
            ItemComparison.differences(expected: expected, stored: stored, ignoring: [])
                == [
                    AttributeDifference(name: "amount", source: .n("10.50"), target: .n("10.51")),
                    AttributeDifference(name: "note", source: .s("x"), target: nil),
                    AttributeDifference(name: "zz", source: nil, target: .bool(true)),
                ])
    }

    @Test func ignoresTheVersionAttributeAndDynamoDBsNumberSpelling() {
        let expected: DynamoDBItem = ["id": .n("1"), "amount": .n("1.50")]
        let stored: DynamoDBItem = ["id": .n("1"), "amount": .n("1.5"), "_ferry_version": .n("160000000000")]
        #expect(ItemComparison.differences(expected: expected, stored: stored, ignoring: ["_ferry_version"]).isEmpty)
    }
}
