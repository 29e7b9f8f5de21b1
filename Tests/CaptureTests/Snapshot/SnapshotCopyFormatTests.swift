import Shared
import Testing

@testable import Capture

@Suite("Snapshot COPY format: binary only when every column has a binary conversion")
struct SnapshotCopyFormatTests {
    @Test func everyConvertedTypeReadsBinary() {
        let types = [
            "int8", "int2", "int4", "numeric", "bool", "date", "timestamp", "timestamptz", "uuid", "bytea", "jsonb",
            "json", "text", "varchar", "bpchar", "name",
        ]
        #expect(Self.shape(types).snapshotCopyFormat == .binary)
    }

    @Test(arguments: ["float8", "float4", "interval", "inet", "money", "time", "oid", "mood", "xml"])
    func oneOtherTypeMakesTheTableText(typeName: String) {
        // `mood`: an enum, which a type name alone does not reveal.
        #expect(Self.shape(["int4", "text", typeName]).snapshotCopyFormat == .text)
    }

    @Test func anArrayMakesTheTableText() {
        let columns = [
            RecordShape.Column(name: "id", type: PostgresColumnType(name: "int4")),
            RecordShape.Column(name: "tags", type: PostgresColumnType(name: "text", isArray: true)),
        ]
        #expect(RecordShape(schema: "s", table: "t", columns: columns, keyIndexes: [0]).snapshotCopyFormat == .text)
    }

    @Test func theStatementAsksForTheFormat() {
        let shape = Self.shape(["int4", "text"])
        #expect(
            shape.copyStatement(clause: #"WHERE "c0" < 5"#, format: .binary)
                == #"COPY (SELECT "c0", "c1" FROM "s"."t" WHERE "c0" < 5) TO STDOUT (FORMAT binary)"#)
        #expect(shape.copyStatement(clause: nil) == #"COPY (SELECT "c0", "c1" FROM "s"."t") TO STDOUT"#)
    }

    private static func shape(_ typeNames: [String]) -> RecordShape {
        RecordShape(
            schema: "s", table: "t",
            columns: typeNames.enumerated().map { index, name in
                RecordShape.Column(name: "c\(index)", type: PostgresColumnType(name: name))
            },
            keyIndexes: [0])
    }
}
