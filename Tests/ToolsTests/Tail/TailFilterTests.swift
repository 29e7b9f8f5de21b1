import Shared
import Testing

@testable import Tools

@Suite struct TailFilterTests {
    let update = TailFixtures.entry(TailFixtures.update)
    let create = TailFixtures.entry(TailFixtures.create)
    let tombstone = TailFixtures.rawEntry(key: #"{"PaymentId":42}"#, value: nil)
    let garbage = TailFixtures.rawEntry(key: #"{"PaymentId":42}"#, value: "not json")

    @Test func noFilterShowsEverything() {
        #expect([update, create, tombstone, garbage].allSatisfy(TailFilter().matches))
    }

    @Test func operationsByCodeOrName() throws {
        let filter = try TailFilter.parse(operations: "u, create", key: nil, conditions: [])
        #expect(filter.operations == [.update, .create])
        #expect(filter.matches(update) && filter.matches(create))
        #expect(!filter.matches(tombstone) && !filter.matches(garbage))
        #expect(try !TailFilter.parse(operations: "d", key: nil, conditions: []).matches(update))
        #expect(throws: TailError.self) { try TailFilter.parse(operations: "u,x", key: nil, conditions: []) }
        #expect(throws: TailError.self) { try TailFilter.parse(operations: ",", key: nil, conditions: []) }
    }

    @Test func keyIsJSONObjectEqualityInAnyFieldOrder() throws {
        let filter = try TailFilter.parse(operations: nil, key: #"{"PaymentId": 42}"#, conditions: [])
        #expect(filter.matches(update) && filter.matches(tombstone) && filter.matches(garbage))
        #expect(!filter.matches(create))
        #expect(TailFilter.sameFields(["a": 1, "b": "x"], ["b": "x", "a": 1]))
        #expect(!TailFilter.sameFields(["a": 1], ["a": 1, "b": 2]))
        #expect(throws: TailError.self) { try TailFilter.parse(operations: nil, key: "42", conditions: []) }
    }

    @Test func whereComparesTextOfAfterElseBefore() throws {
        let status = try TailFilter.parse(operations: nil, key: nil, conditions: ["Status=open"])
        #expect(status.matches(update) && !status.matches(create) && !status.matches(tombstone))
        let exactDigits = try TailFilter.parse(operations: nil, key: nil, conditions: ["PaymentAmount=12.34", "PaymentId=42"])
        #expect(exactDigits.matches(update))
        #expect(try !TailFilter.parse(operations: nil, key: nil, conditions: ["PaymentAmount=10.00"]).matches(update))
        let deleted = TailFixtures.entry(
            ChangeRecord(op: .delete, tsMs: 0, source: TailFixtures.source(), key: ["PaymentId": 42], before: ["PaymentId": 42, "Note": .null], after: nil))
        #expect(try TailFilter.parse(operations: nil, key: nil, conditions: ["Note=null"]).matches(deleted))
        #expect(try TailFilter.parse(operations: nil, key: nil, conditions: ["Note=a=b"]).conditions == [.init(column: "Note", value: "a=b")])
        #expect(throws: TailError.self) { try TailFilter.parse(operations: nil, key: nil, conditions: ["=x"]) }
        #expect(throws: TailError.self) { try TailFilter.parse(operations: nil, key: nil, conditions: ["x"]) }
    }
}
