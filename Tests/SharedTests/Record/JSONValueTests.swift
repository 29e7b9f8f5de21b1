import Testing

@testable import Shared

@Suite struct JSONValueTests {
    @Test(arguments: [
        "0", "-0", "42", "-42", "1.5e-07", "1e+100", "1E5", "0.000", "2.50",
        "123456789012345678901234567890.123456789012345678901234567890",
    ])
    func acceptsValidNumberText(text: String) {
        #expect(JSONValue.number(exactly: text) == .number(text))
    }

    @Test(arguments: [
        "", "-", "01", "-01", "1.", ".5", "+1", "1e", "1e+", "NaN", "Infinity", " 1", "1 ", "0x10", "1,5",
    ])
    func rejectsInvalidNumberText(text: String) {
        #expect(JSONValue.number(exactly: text) == nil)
    }

    @Test func integerFactoryWritesDecimalDigits() {
        #expect(JSONValue.integer(Int64.min) == .number("-9223372036854775808"))
        #expect(JSONValue.integer(UInt64.max) == .number("18446744073709551615"))
        #expect(JSONValue(integerLiteral: 7) == .number("7"))
    }

    @Test func objectKeepsOrderAndFindsFirstDuplicate() {
        let object = JSONObject([("b", 1), ("a", 2), ("b", 3)])
        #expect(object.fields.map(\.name) == ["b", "a", "b"])
        #expect(object["b"] == .number("1"))
        #expect(object["a"] == .number("2"))
        #expect(object["missing"] == nil)
        #expect(object.count == 3)
        #expect(!object.isEmpty)
    }

    @Test func literalsBuildTheSameObjects() {
        let fromDictionaryLiteral: JSONObject = ["x": "s", "y": true]
        let fromPairs = JSONObject([("x", .string("s")), ("y", .bool(true))])
        let fromFields = JSONObject(fields: [
            .init(name: "x", value: .string("s")), .init(name: "y", value: .bool(true)),
        ])
        #expect(fromDictionaryLiteral == fromPairs)
        #expect(fromPairs == fromFields)
        let reordered: JSONObject = ["y": true, "x": "s"]
        #expect(reordered != fromPairs, "order matters")
    }

    @Test func numbersCompareByExactText() {
        #expect(JSONValue.number("1.0") != .number("1"))
        #expect(JSONValue.number("-0") != .number("0"))
    }
}

@Suite struct JSONObjectMutationTests {
    @Test func settingReplacesInPlaceAppendsOrRemoves() {
        var object = JSONObject([("a", 1), ("b", 2), ("a", 3)])
        object["a"] = "x"
        #expect(object == JSONObject([("a", "x"), ("b", 2), ("a", 3)]))
        object["c"] = .null
        #expect(object == JSONObject([("a", "x"), ("b", 2), ("a", 3), ("c", .null)]))
        object["a"] = nil
        #expect(object == JSONObject([("b", 2), ("c", .null)]))
    }
}
