import NIOCore
import Shared
import Testing

@testable import Capture

/// What the stream sends for the changes of a filtered table (docs/design.md, "Row filters"): only rows the filter
/// takes; a row leaving it is deleted, a row entering it is sent whole; an unknown old row is treated as maybe in.
@Suite("Row filters on the stream")
struct FilteredChangeTests {
    static let shape = RecordShape(
        schema: "public", table: "items",
        columns: [("id", "int4"), ("status", "text"), ("body", "text")].map {
            RecordShape.Column(name: $0.0, type: PostgresColumnType(name: $0.1))
        },
        keyIndexes: [0])
    static let oid: UInt32 = 42

    static func tuple(_ values: TupleValue...) -> TupleData { TupleData(columns: values) }
    static func text(_ value: String) -> TupleValue { .text(ByteBuffer(string: value)) }
    static func row(_ id: Int, _ status: String, _ body: TupleValue? = nil) -> TupleData {
        tuple(text(String(id)), text(status), body ?? text("b"))
    }
    static func keyOnly(_ id: Int) -> OldTuple { .key(tuple(text(String(id)), .null, .null)) }

    /// The (op, key) of each record message the changes give, tombstones left out, and the ops whose unsent
    /// columns are to be read back.
    static func records(
        _ changes: [PgOutputMessage], filterOn column: String = "status", _ condition: FilterCondition = .equal("open")
    ) throws -> (
        records: [String], reselected: [Operation]
    ) {
        var assembler = ChangeAssembler(prefix: "pfx", database: "shop", tombstones: true)
        let filter = try TableRowFilter(
            [RowFilter(rule: "1", columns: [ColumnFilter(column: column, conditions: [condition])])],
            columns: shape.columns.map { ($0.name, $0.type) })
        assembler.register(shape, for: oid, rowFilter: filter)
        var batch = ChangeBatchBuilder()
        try assembler.handle(.begin(try ChangeAssemblerTests.begin()), at: LSN(rawValue: 0x100), nowMs: 0, into: &batch)
        for (index, change) in changes.enumerated() {
            try assembler.handle(change, at: ChangeAssemblerTests.lsn(index), nowMs: 0, into: &batch)
        }
        let built = batch.build()
        var records: [String] = []
        built.messages.forEachMessage { _, key, value, _ in
            guard let value, case .object(let object)? = try? JSONParser.parse(Array(value)),
                case .string(let op)? = object["op"]
            else { return }
            records.append("\(op) \(String(decoding: key, as: UTF8.self))")
        }
        return (records, built.unsentColumns.map(\.op))
    }

    static func insert(_ row: TupleData) -> PgOutputMessage { .insert(.init(relationOID: oid, newTuple: row)) }
    static func update(_ old: OldTuple?, _ new: TupleData) -> PgOutputMessage {
        .update(.init(relationOID: oid, oldTuple: old, newTuple: new))
    }
    static func delete(_ old: OldTuple) -> PgOutputMessage { .delete(.init(relationOID: oid, oldTuple: old)) }

    @Test func insertsOfRowsOutsideTheFilterAreNotSent() throws {
        let result = try Self.records([Self.insert(Self.row(1, "open")), Self.insert(Self.row(2, "closed"))])
        #expect(result.records == [#"c {"id":1}"#])
    }

    @Test func withoutTheOldRowAnUpdateIsSentWholeOrAsADelete() throws {
        // Default replica identity: the WAL has no old row, so whether the row was in is unknown.
        let result = try Self.records([
            Self.update(nil, Self.row(1, "open", .unchangedToast)), Self.update(nil, Self.row(2, "closed")),
        ])
        #expect(result.records == [#"u {"id":1}"#, #"d {"id":2}"#])
        // Entering (maybe) the filter with an unsent TOAST value: it is read back, so the item is whole.
        #expect(result.reselected == [.update])
    }

    @Test func withTheFullOldRowOnlyRealTransitionsAreSent() throws {
        let result = try Self.records([
            Self.update(.fullRow(Self.row(1, "open")), Self.row(1, "closed")),  // leaves: delete
            Self.update(.fullRow(Self.row(2, "closed")), Self.row(2, "closed")),  // stays out: nothing
            Self.update(.fullRow(Self.row(3, "closed")), Self.row(3, "open", .unchangedToast)),  // enters: create, whole
            Self.update(.fullRow(Self.row(4, "open")), Self.row(4, "open", .unchangedToast)),  // stays in: update
        ])
        #expect(result.records == [#"d {"id":1}"#, #"c {"id":3}"#, #"u {"id":4}"#])
        #expect(result.reselected == [.create])
    }

    @Test func deletesOfRowsKnownOutsideTheFilterAreNotSent() throws {
        let result = try Self.records([
            Self.delete(Self.keyOnly(1)), Self.delete(.fullRow(Self.row(2, "closed"))),
            Self.delete(.fullRow(Self.row(3, "open"))),
        ])
        #expect(result.records == [#"d {"id":1}"#, #"d {"id":3}"#])
    }

    @Test func aKeyChangeDeletesTheOldKeyAndCreatesTheNewOneOnlyIfItMatches() throws {
        let result = try Self.records([
            Self.update(Self.keyOnly(1), Self.row(10, "open")), Self.update(Self.keyOnly(2), Self.row(20, "closed")),
        ])
        #expect(result.records == [#"d {"id":1}"#, #"c {"id":10}"#, #"d {"id":2}"#])
        // A filter on the key column: the key-only old row settles it.
        let onKey = try Self.records(
            [Self.update(Self.keyOnly(1), Self.row(10, "x")), Self.update(Self.keyOnly(2), Self.row(1, "x"))],
            filterOn: "id", .equal("1"))
        #expect(onKey.records == [#"d {"id":1}"#, #"c {"id":1}"#])
    }

    @Test func anUnsentFilteredColumnWithoutTheOldRowStopsNamingTheFix() throws {
        let change = Self.update(nil, Self.tuple(Self.text("1"), .unchangedToast, Self.text("b")))
        let error = #expect(throws: ChangeAssembler.Failure.self) { try Self.records([change]) }
        #expect(error?.description.contains("left the filtered column(s) status unsent") == true)
        #expect(error?.description.contains(#"ALTER TABLE "public"."items" REPLICA IDENTITY FULL"#) == true)
        // With the full old row the unsent value is the old one.
        let full = try Self.records([
            Self.update(.fullRow(Self.row(1, "open")), Self.tuple(Self.text("1"), .unchangedToast, Self.text("c")))
        ])
        #expect(full.records == [#"u {"id":1}"#])
    }
}
