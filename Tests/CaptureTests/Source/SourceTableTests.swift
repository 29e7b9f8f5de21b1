import Shared
import Testing

@testable import Capture

@Suite("Source tables: type resolution and capture keys")
struct SourceTableTests {
    private let types = CatalogTypes(entries: [
        23: .init(name: "int4", isDomain: false, isArray: false, baseType: 0, elementType: 0),
        1007: .init(name: "_int4", isDomain: false, isArray: true, baseType: 0, elementType: 23),
        25: .init(name: "text", isDomain: false, isArray: false, baseType: 0, elementType: 0),
        600: .init(name: "point", isDomain: false, isArray: false, baseType: 0, elementType: 701),
        9001: .init(name: "email", isDomain: true, isArray: false, baseType: 25, elementType: 0),
        9002: .init(name: "work_email", isDomain: true, isArray: false, baseType: 9001, elementType: 0),
        9003: .init(name: "_email", isDomain: false, isArray: true, baseType: 0, elementType: 9001),
        9004: .init(name: "int_list", isDomain: true, isArray: false, baseType: 1007, elementType: 0),
        9005: .init(name: "mood", isDomain: false, isArray: false, baseType: 0, elementType: 0),
    ])

    @Test func resolvesDomainsArraysAndKeepsOtherNames() {
        #expect(types.columnType(of: 23) == PostgresColumnType(name: "int4"))
        #expect(types.columnType(of: 1007) == PostgresColumnType(name: "int4", isArray: true))
        #expect(types.columnType(of: 9002) == PostgresColumnType(name: "text"))  // domain over a domain
        #expect(types.columnType(of: 9003) == PostgresColumnType(name: "text", isArray: true))  // array of a domain
        #expect(types.columnType(of: 9004) == PostgresColumnType(name: "int4", isArray: true))  // domain over an array
        #expect(types.columnType(of: 9005) == PostgresColumnType(name: "mood"))  // an enum
        #expect(types.columnType(of: 600) == PostgresColumnType(name: "point"))  // typelem, but not an array
        #expect(types.columnType(of: 4242) == nil)
    }

    private func table(primaryKey: [String], identity: ReplicaIdentity) -> SourceTable {
        SourceTable(
            name: QualifiedTableName(schema: "dbo", name: "Logs"), oid: 1,
            columns: ["Id", "Code", "Message"].map { SourceColumn(name: $0, type: PostgresColumnType(name: "text")) },
            primaryKey: primaryKey, replicaIdentity: identity, estimatedRowCount: nil, totalBytes: 0,
            isPartitioned: false)
    }

    @Test func captureKeyFollowsWhatDeletesCarry() {
        #expect(table(primaryKey: ["Id"], identity: .default).captureKey == ["Id"])
        #expect(table(primaryKey: [], identity: .default).captureKey == nil)
        #expect(table(primaryKey: ["Id"], identity: .index(columns: ["Code"])).captureKey == ["Code"])
        #expect(table(primaryKey: [], identity: .index(columns: [])).captureKey == nil)
        #expect(table(primaryKey: ["Id"], identity: .full).captureKey == ["Id"])
        #expect(table(primaryKey: [], identity: .full).captureKey == ["Id", "Code", "Message"])
        #expect(table(primaryKey: ["Id"], identity: .nothing).captureKey == nil)
    }
}
