import NIOCore
import Testing

@testable import Capture

@Suite("RelationCache keeps the latest schema per relation")
struct RelationCacheTests {
    static let payments: UInt32 = 16459

    @Test func remembersRelationsAndTypes() throws {
        var cache = RelationCache()
        cache.update(with: try PgOutputFixtures.decode(PgOutputFixtures.typeMood))
        cache.update(with: try PgOutputFixtures.decode(PgOutputFixtures.relationPayments))

        let relation = try cache.relation(oid: Self.payments)
        #expect(relation.name == "payments")
        #expect(
            relation.columns.map(\.name) == ["id", "amount", "note", "paid_at", "settled", "details", "mood", "doc"])
        #expect(cache.dataType(oid: 16454)?.name == "mood")
        #expect(cache.dataType(oid: 23) == nil, "built-in types are never described")
    }

    @Test func relationResentAfterAddColumnReplacesTheColumns() throws {
        var cache = RelationCache()
        cache.update(with: try PgOutputFixtures.decode(PgOutputFixtures.relationPayments))
        cache.update(with: try PgOutputFixtures.decode(PgOutputFixtures.relationPaymentsAfterAddColumn))

        let columns = try cache.relation(oid: Self.payments).columns
        #expect(columns.count == 9)
        #expect(columns.last == .init(isKey: false, name: "currency", typeOID: 1042, typeModifier: 7))
    }

    @Test func changeOfAnUndescribedRelationIsAnError() throws {
        var cache = RelationCache()
        cache.update(with: try PgOutputFixtures.decode(PgOutputFixtures.relationAuditLog))
        // Row changes carry no schema: they must not make a relation known.
        cache.update(with: try PgOutputFixtures.decode(PgOutputFixtures.insertPayment))

        #expect(throws: UnknownRelationError(relationOID: Self.payments)) {
            try cache.relation(oid: Self.payments)
        }
        #expect(
            UnknownRelationError(relationOID: Self.payments).description
                == "change references relation OID 16459, but no Relation message has described it")
    }

    @Test func namesKeyColumnsOfTheCurrentDefinition() throws {
        var cache = RelationCache()
        cache.update(with: try PgOutputFixtures.decode(PgOutputFixtures.relationPayments))
        cache.update(with: try PgOutputFixtures.decode(PgOutputFixtures.relationAuditLog))

        #expect(try cache.relation(oid: Self.payments).keyColumnNames == ["id"])
        #expect(try cache.relation(oid: 16466).keyColumnNames == ["id", "body"])
    }
}
