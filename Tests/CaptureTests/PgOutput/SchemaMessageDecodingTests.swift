import NIOCore
import Testing

@testable import Capture

@Suite("pgoutput schema messages: Relation, Type")
struct SchemaMessageDecodingTests {
    typealias Column = PgOutputMessage.Relation.Column

    /// `public.payments` as created by the fixture script; OIDs of built-in types are fixed by PostgreSQL.
    static let paymentsColumns = [
        Column(isKey: true, name: "id", typeOID: 23, typeModifier: -1),  // int4
        Column(isKey: false, name: "amount", typeOID: 1700, typeModifier: 10 << 16 | 2 + 4),  // numeric(10,2)
        Column(isKey: false, name: "note", typeOID: 1043, typeModifier: 20 + 4),  // varchar(20)
        Column(isKey: false, name: "paid_at", typeOID: 1184, typeModifier: -1),  // timestamptz
        Column(isKey: false, name: "settled", typeOID: 16, typeModifier: -1),  // bool
        Column(isKey: false, name: "details", typeOID: 3802, typeModifier: -1),  // jsonb
        Column(isKey: false, name: "mood", typeOID: 16454, typeModifier: -1),  // the enum described by a Type message
        Column(isKey: false, name: "doc", typeOID: 25, typeModifier: -1),  // text
    ]

    @Test func decodesTypeMessageOfAnEnum() throws {
        let message = try PgOutputFixtures.decode(PgOutputFixtures.typeMood)
        #expect(message == .type(.init(oid: 16454, namespace: "public", name: "mood")))
    }

    @Test func decodesRelationWithDefaultReplicaIdentity() throws {
        let message = try PgOutputFixtures.decode(PgOutputFixtures.relationPayments)
        #expect(
            message
                == .relation(
                    .init(
                        oid: 16459, namespace: "public", name: "payments", replicaIdentity: .default,
                        columns: Self.paymentsColumns)))
    }

    @Test func decodesRelationWithFullReplicaIdentityWhereEveryColumnIsKey() throws {
        let message = try PgOutputFixtures.decode(PgOutputFixtures.relationAuditLog)
        #expect(
            message
                == .relation(
                    .init(
                        oid: 16466, namespace: "public", name: "audit_log", replicaIdentity: .full,
                        columns: [
                            Column(isKey: true, name: "id", typeOID: 20, typeModifier: -1),  // int8
                            Column(isKey: true, name: "body", typeOID: 25, typeModifier: -1),  // text
                        ])))
    }

    @Test func decodesRelationResentAfterAddColumn() throws {
        let message = try PgOutputFixtures.decode(PgOutputFixtures.relationPaymentsAfterAddColumn)
        let currency = Column(isKey: false, name: "currency", typeOID: 1042, typeModifier: 3 + 4)  // char(3)
        #expect(
            message
                == .relation(
                    .init(
                        oid: 16459, namespace: "public", name: "payments", replicaIdentity: .default,
                        columns: Self.paymentsColumns + [currency])))
    }

    @Test func namesKeyColumns() throws {
        guard case .relation(let payments) = try PgOutputFixtures.decode(PgOutputFixtures.relationPayments),
            case .relation(let auditLog) = try PgOutputFixtures.decode(PgOutputFixtures.relationAuditLog)
        else {
            Issue.record("expected Relation messages")
            return
        }
        #expect(payments.keyColumnNames == ["id"])
        #expect(auditLog.keyColumnNames == ["id", "body"])
    }
}
