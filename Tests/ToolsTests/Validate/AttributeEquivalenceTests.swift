import Apply
import Testing

@testable import Tools

@Suite struct AttributeEquivalenceTests {
    @Test(arguments: [
        ("1.50", "1.5"), ("100", "1E+2"), ("100", "1e2"), ("0.010", "1E-2"), ("-0", "0"), ("0.00", "0"),
        ("-12.340", "-12.34"), ("123456789012345678901234567890.10", "123456789012345678901234567890.1"),
    ])
    func numbersEqualInValueAreEquivalent(_ left: String, _ right: String) {
        #expect(AttributeEquivalence.equivalent(.n(left), .n(right)))
    }

    @Test(arguments: [
        ("10.50", "10.51"), ("1.5", "-1.5"), ("100", "10"), ("0.01", "0"), ("1E+2", "1E+3"),
        ("123456789012345678901234567890.10", "123456789012345678901234567890.11"),
    ])
    func numbersThatDifferAreNot(_ left: String, _ right: String) {
        #expect(!AttributeEquivalence.equivalent(.n(left), .n(right)))
    }

    @Test func numbersCompareByValueInsideMapsAndLists() {
        let stored: DynamoDBAttributeValue = .m(["rate": .n("1.5"), "steps": .l([.n("2"), .s("x")])])
        #expect(AttributeEquivalence.equivalent(.m(["rate": .n("1.50"), "steps": .l([.n("2.0"), .s("x")])]), stored))
        #expect(!AttributeEquivalence.equivalent(.m(["rate": .n("1.51"), "steps": .l([.n("2"), .s("x")])]), stored))
        #expect(!AttributeEquivalence.equivalent(.m(["rate": .n("1.5")]), stored), "a missing map entry differs")
        #expect(!AttributeEquivalence.equivalent(.l([.s("x"), .n("2")]), .l([.n("2"), .s("x")])), "lists keep order")
    }

    @Test func setsCompareWithoutOrder() {
        #expect(AttributeEquivalence.equivalent(.ns(["1.50", "2"]), .ns(["2", "1.5"])))
        #expect(AttributeEquivalence.equivalent(.ss(["a", "b"]), .ss(["b", "a"])))
        #expect(!AttributeEquivalence.equivalent(.ss(["a", "b"]), .ss(["a"])))
    }

    @Test func otherValuesCompareExactlyAndTypesMatter() {
        #expect(AttributeEquivalence.equivalent(.b([1, 2]), .b([1, 2])))
        #expect(!AttributeEquivalence.equivalent(.s("1.5"), .n("1.5")))
        #expect(!AttributeEquivalence.equivalent(.s("a "), .s("a")))
        #expect(!AttributeEquivalence.equivalent(.bool(true), .bool(false)))
    }
}
