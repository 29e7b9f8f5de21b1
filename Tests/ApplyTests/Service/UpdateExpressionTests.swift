import Testing

@testable import Apply

@Suite("Update expression")
struct UpdateExpressionTests {
    @Test func setsSentAttributesAndTheVersionAndRemovesNulledOnes() {
        let update = UpdateExpression(set: ["b": .s("x"), "a": .n("1")], remove: ["gone"])
        #expect(update.text == "SET #a0 = :a0, #a1 = :a1, #v = :v REMOVE #r0")
        #expect(update.names == ["#a0": "a", "#a1": "b", "#r0": "gone"])
        #expect(update.values == [":a0": .n("1"), ":a1": .s("x")])
    }
}
