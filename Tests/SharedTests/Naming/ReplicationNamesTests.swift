import Testing

@testable import Shared

@Suite("Default slot and publication names")
struct ReplicationNamesTests {
    @Test func safePrefixesKeepTheNameEarlierVersionsGave() {
        #expect(ReplicationNames.defaultName(forPrefix: "loanapp") == "ferry_loanapp")
        #expect(ReplicationNames.defaultName(forPrefix: "orders_v2") == "ferry_orders_v2")
        #expect(ReplicationNames.defaultName(forPrefix: "a1_b2_c3") == "ferry_a1_b2_c3")
    }

    @Test func otherPrefixesAreHashed() {
        let name = ReplicationNames.defaultName(forPrefix: "orders-v2")
        #expect(name.hasPrefix("ferry_orders_v2__"))
        #expect(name.count == "ferry_orders_v2__".count + 16)
    }

    /// Pairs today's rule (lowercase, non-alphanumerics as `_`) folded into one slot, and others built to collide.
    @Test func distinctPrefixesNeverShareASlot() {
        let long = String(repeating: "x", count: 80)
        let prefixes = [
            "orders_v2", "orders-v2", "orders.v2", "Orders_v2", "ORDERS_V2", "orders v2", "orders__v2", "_orders_v2",
            "orders_v2_", "orders_v2__0123456789abcdef", "orders", "orders_", "orders-", "é", "e", "_", "-", "a_b", "a__b",
            "a.b", "a_b__9c2e1e5ba8a7f7b1", long, long + "y", long + "z", String(repeating: "y", count: 57),
            String(repeating: "y", count: 58), String(repeating: "a_", count: 40) + "a",
        ]
        var seen: [String: String] = [:]
        for prefix in prefixes {
            let name = ReplicationNames.defaultName(forPrefix: prefix)
            #expect(seen[name] == nil, "\(prefix) and \(seen[name] ?? "") share \(name)")
            seen[name] = prefix
            #expect(name.utf8.count <= ReplicationNames.maximumLength, "\(name)")
            #expect(name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }, "\(name)")
        }
        #expect(ReplicationNames.defaultName(forPrefix: String(repeating: "y", count: 57)) == "ferry_" + String(repeating: "y", count: 57))
    }
}
