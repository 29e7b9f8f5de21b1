import Foundation
import Testing

@testable import Shared

/// Ferry's records written as Debezium's PostgreSQL connector writes the same changes: the documentation's
/// `customers` example and the conformance fixtures (Debezium's documented type mappings, Tests/Fixtures/Debezium)
/// field by field, and a round trip through the decoder apply uses.
@Suite("Debezium record encoder")
struct DebeziumRecordEncoderTests {
    static func json(_ bytes: [UInt8]) throws -> JSONObject {
        guard case .object(let object) = try JSONParser.parse(bytes) else { throw DebeziumFixture.FixtureError(name: "not an object") }
        return object
    }

    static func field(_ object: JSONObject, _ path: String...) -> JSONValue? {
        var current: JSONValue = .object(object)
        for name in path {
            guard case .object(let inner) = current, let next = inner[name] else { return nil }
            current = next
        }
        return current
    }

    /// The fields of struct field `name` of an envelope schema, each with `field` first removed keys (`default`).
    static func structFields(_ envelope: JSONObject, _ name: String) -> [JSONValue] {
        guard case .array(let fields)? = envelope["fields"] else { return [] }
        for case .object(let field) in fields where field["field"] == .string(name) {
            guard case .array(let inner)? = field["fields"] else { return [] }
            return inner
        }
        return []
    }

    /// A schema with every object's fields in name order: JsonConverter's order (type, fields, optional, name, …)
    /// is not what the fixtures, written by hand and by generate.py, keep.
    static func normalized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            return .object(JSONObject(fields: object.fields.sorted { $0.name < $1.name }.map { .init(name: $0.name, value: normalized($0.value)) }))
        case .array(let elements): return .array(elements.map(normalized))
        default: return value
        }
    }

    static func withoutKey(_ key: String, _ values: [JSONValue]) -> [JSONValue] {
        values.map { value in
            guard case .object(var object) = value else { return value }
            object[key] = nil
            return .object(object)
        }
    }

    // MARK: The documentation's create event

    static let customers = DebeziumTable(
        prefix: "PostgreSQL_server", schema: "public", table: "customers",
        columns: [
            DebeziumColumn(name: "id", type: PostgresColumnType(name: "int4"), isOptional: false),
            DebeziumColumn(name: "first_name", type: PostgresColumnType(name: "varchar"), isOptional: false),
            DebeziumColumn(name: "last_name", type: PostgresColumnType(name: "varchar"), isOptional: false),
            DebeziumColumn(name: "email", type: PostgresColumnType(name: "varchar"), isOptional: false),
        ],
        keyColumns: ["id"])

    static func customersRecord(_ op: Shared.Operation, after: JSONObject?) -> ChangeRecord {
        ChangeRecord(
            op: op, tsMs: 1_559_033_904_863,
            source: SourceInfo(
                version: "1.0", name: "PostgreSQL_server", db: "postgres", schema: "public", table: "customers",
                snapshot: false, txId: 555, lsn: LSN(rawValue: 24_023_128), commitLSN: LSN(rawValue: 24_023_300), seq: 0,
                tsMs: 1_559_033_904_863),
            key: ["id": 1], before: nil, after: after,
            types: customers.columns.map { ColumnType(column: $0.name, typeName: $0.type.recordTypeName) })
    }

    @Test func theDocumentationsCreateEventFieldByField() throws {
        let fixture = try DebeziumFixture("customers")
        let expectedKey = try Self.json(fixture.messages[0].key ?? [])
        let expectedValue = try Self.json(fixture.messages[0].value ?? [])
        let encoder = DebeziumRecordEncoder(table: Self.customers)
        let record = Self.customersRecord(
            .create, after: ["id": 1, "first_name": "Anne", "last_name": "Kretchmar", "email": "annek@noanswer.org"])
        let key = try Self.json(try encoder.key(["id": 1]))
        let value = try Self.json(try encoder.value(record))

        // The key: same struct name and fields (the page's key adds a `default` the connector writes for a column
        // with a default value; this table's key has none).
        #expect(key["payload"] == expectedKey["payload"])
        guard case .object(let keySchema)? = key["schema"], case .object(var expectedKeySchema)? = expectedKey["schema"] else {
            Issue.record("no key schema")
            return
        }
        if case .array(let fields)? = expectedKeySchema["fields"] { expectedKeySchema["fields"] = .array(Self.withoutKey("default", fields)) }
        #expect(Self.normalized(.object(keySchema)) == Self.normalized(.object(expectedKeySchema)))

        // The row struct of `before` and `after`, field by field (the page names the Value struct after the
        // `inventory` schema in one place and `public` in the other; ours is the table's, `public`).
        guard case .object(let schema)? = value["schema"], case .object(let expectedSchema)? = expectedValue["schema"] else {
            Issue.record("no value schema")
            return
        }
        for side in ["before", "after"] {
            #expect(Self.structFields(schema, side).map(Self.normalized) == Self.structFields(expectedSchema, side).map(Self.normalized))
        }
        #expect(schema["name"] == "PostgreSQL_server.public.customers.Envelope")
        #expect(schema["optional"] == JSONValue.bool(false))
        // Every envelope field and every source field of the page, with its type; `snapshot` is the string enum
        // the connector writes since 1.x (the page still shows the old boolean).
        func types(_ fields: [JSONValue]) -> [String: JSONValue] {
            var types: [String: JSONValue] = [:]
            for case .object(let field) in fields { if case .string(let name)? = field["field"] { types[name] = field["type"] } }
            return types
        }
        guard case .array(let envelopeFields)? = schema["fields"], case .array(let expectedEnvelopeFields)? = expectedSchema["fields"]
        else { return }
        let envelopeTypes = types(envelopeFields)
        for (name, type) in types(expectedEnvelopeFields) { #expect(envelopeTypes[name] == type, "envelope field \(name)") }
        let sourceTypes = types(Self.structFields(schema, "source"))
        for (name, type) in types(Self.structFields(expectedSchema, "source")) where name != "snapshot" {
            #expect(sourceTypes[name] == type, "source field \(name)")
        }
        #expect(sourceTypes["snapshot"] == "string")

        // The payload: the row, op and the source block's names; time and position values are the record's.
        guard case .object(let payload)? = value["payload"], case .object(let expectedPayload)? = expectedValue["payload"] else {
            Issue.record("no payload")
            return
        }
        #expect(payload["before"] == expectedPayload["before"])
        #expect(payload["after"] == expectedPayload["after"])
        #expect(payload["op"] == expectedPayload["op"])
        for name in ["connector", "name", "db", "schema", "table", "txId", "xmin"] {
            #expect(Self.field(payload, "source", name) == Self.field(expectedPayload, "source", name), "source.\(name)")
        }
        #expect(Self.field(payload, "source", "snapshot") == "false")
        #expect(Self.field(payload, "source", "lsn") == .integer(24_023_128))
        #expect(Self.field(payload, "source", "sequence") == .string(#"["24023300","24023128"]"#))
        #expect(payload.fields.map(\.name) == ["before", "after", "source", "transaction", "op", "ts_ms", "ts_us", "ts_ns"])
    }

    /// A delete under the default replica identity: `before` holds the key and, in the required columns, their
    /// type's empty value (a Connect struct cannot hold null there).
    @Test func aDeleteCarriesTheKeyInBefore() throws {
        let encoder = DebeziumRecordEncoder(table: Self.customers)
        let value = try Self.json(try encoder.value(Self.customersRecord(.delete, after: nil)))
        #expect(Self.field(value, "payload", "before") == ["id": 1, "first_name": "", "last_name": "", "email": ""])
        #expect(Self.field(value, "payload", "after") == .null)
        #expect(Self.field(value, "payload", "op") == "d")
    }

    // MARK: Every type of the conformance table against Debezium's documented mappings

    /// `public.conformance` as the catalog describes it (ApplyDebeziumTests creates it).
    static let conformance = DebeziumTable(
        prefix: "PostgreSQL_server", schema: "public", table: "conformance",
        columns: [
            ("id", "int4", -1), ("customer_id", "int8", -1), ("small", "int2", -1), ("amount", "numeric", (20 << 16 | 5) + 4),
            ("price", "numeric", -1), ("rate", "float8", -1), ("ratio", "float4", -1), ("paid", "bool", -1),
            ("pay_date", "date", -1), ("created", "timestamp", 6), ("settled", "timestamptz", -1), ("meta", "jsonb", -1),
            ("doc", "json", -1), ("blob", "bytea", -1), ("tags", "text[]", -1), ("scores", "int4[]", -1), ("ref", "uuid", -1),
            ("mood", "mood", -1), ("note", "text", -1), ("at_time", "time", 6), ("short_time", "time", 3),
            ("attz", "timetz", -1),
        ].map { name, type, modifier in
            let isArray = type.hasSuffix("[]")
            return DebeziumColumn(
                name: name, type: PostgresColumnType(name: String(type.dropLast(isArray ? 2 : 0)), isArray: isArray),
                typeModifier: Int32(modifier), isOptional: name != "id", isEnum: type == "mood")
        },
        keyColumns: ["id"])

    /// Row `index` of the conformance table as Ferry's capture writes it (docs/design.md, "Column values").
    static func conformanceRecord(_ after: String, op: Shared.Operation = .read) throws -> ChangeRecord {
        let row = try DebeziumMessageDecoderTests.object(after)
        return ChangeRecord(
            op: op, tsMs: 1_704_103_201_000,
            source: SourceInfo(
                version: "1.0", name: "PostgreSQL_server", db: "postgres", schema: "public", table: "conformance",
                snapshot: op == .read, txId: nil, lsn: LSN(rawValue: 23_000_000), commitLSN: LSN(rawValue: 23_000_000),
                seq: op == .read ? -1 : 0, tsMs: 1_704_103_200_000),
            key: ["id": row["id"] ?? .null], before: nil, after: row,
            types: conformance.columns.map { ColumnType(column: $0.name, typeName: $0.type.recordTypeName) })
    }

    /// Capture's row 1 and 2: `timetz` as PostgreSQL prints it in the source's zone (Debezium's is in UTC).
    static let rows = [
        DebeziumMessageDecoderTests.row1.replacingOccurrences(of: #""attz":"08:15:30.25+00""#, with: #""attz":"10:15:30.25+02""#),
        DebeziumMessageDecoderTests.row2,
    ]

    @Test(arguments: [0, 1])
    func everyConformanceTypeAsTheDocumentedMappingWritesIt(row: Int) throws {
        let fixture = try DebeziumFixture("conformance-precise-adaptive")
        let expected = try Self.json(fixture.messages[row].value ?? [])
        let value = try Self.json(try DebeziumRecordEncoder(table: Self.conformance).value(try Self.conformanceRecord(Self.rows[row])))
        guard case .object(let schema)? = value["schema"], case .object(let expectedSchema)? = expected["schema"] else {
            Issue.record("no schema")
            return
        }
        // Schemas column by column. Not written: the key's `default` and the enum's `allowed` labels.
        let fields = Self.structFields(schema, "after")
        var expectedFields = Self.withoutKey("default", Self.structFields(expectedSchema, "after"))
        for index in expectedFields.indices {
            guard case .object(var field) = expectedFields[index], field["field"] == "mood" else { continue }
            field["parameters"] = nil
            expectedFields[index] = .object(field)
        }
        #expect(fields.count == expectedFields.count)
        for (field, expectedField) in zip(fields, expectedFields) { #expect(Self.normalized(field) == Self.normalized(expectedField)) }
        // Values column by column; JSON columns as JSON (PostgreSQL's text of `json` keeps its spacing).
        guard case .object(let after)? = Self.field(value, "payload", "after"),
            case .object(let expectedAfter)? = Self.field(expected, "payload", "after")
        else {
            Issue.record("no after")
            return
        }
        #expect(after.fields.map(\.name) == expectedAfter.fields.map(\.name))
        for field in expectedAfter.fields {
            if ["meta", "doc"].contains(field.name), case .string(let text)? = after[field.name], case .string(let expectedText) = field.value {
                #expect(try JSONParser.parse(text) == (try JSONParser.parse(expectedText)), "\(field.name)")
            } else {
                #expect(after[field.name] == field.value, "\(field.name)")
            }
        }
        #expect(Self.field(value, "payload", "op") == "r")
        #expect(Self.field(value, "payload", "source", "snapshot") == "true")
    }

    /// What apply reads back is the record capture wrote: every value, the unchanged TOAST columns, the version's
    /// order, in each decimal mode apply reads exactly.
    @Test(arguments: [DebeziumDecimalHandling.precise, .string])
    func theDecoderReadsBackTheRecord(decimalHandling: DebeziumDecimalHandling) throws {
        let encoder = DebeziumRecordEncoder(table: Self.conformance, decimalHandling: decimalHandling)
        for (index, row) in Self.rows.enumerated() {
            var record = try Self.conformanceRecord(row, op: .update)
            record.source.seq = Int64(index)
            if index == 0 {
                record.after?["note"] = nil
                record.after?["tags"] = nil
                record.unchanged = ["tags", "note"]
            }
            guard case .change(let decoded) = try DebeziumMessageDecoder.decode(
                key: try encoder.key(record.key ?? [:]), value: try encoder.value(record))
            else {
                Issue.record("not a change")
                continue
            }
            var expected = record.after ?? [:]
            // Debezium's ZonedTime is in UTC.
            if index == 0 { expected["attz"] = "08:15:30.25+00" }
            #expect(decoded.after == expected)
            #expect(decoded.unchanged.sorted() == record.unchanged.sorted())
            #expect(decoded.key == record.key)
            #expect(decoded.op == .update)
            // (commit_lsn, lsn): the change's own LSN stands where Ferry's seq does.
            #expect(decoded.version == RecordVersion(commitLSN: LSN(rawValue: 23_000_000), seq: 23_000_000, scheme: .debezium))
        }
    }

    /// Snapshot rows sort below every change of their commit LSN and above the changes before it, as Ferry's do.
    @Test func versionsOrderAsFerrysDo() throws {
        let encoder = DebeziumRecordEncoder(table: Self.conformance)
        func version(_ op: Shared.Operation, commit: UInt64, lsn: UInt64) throws -> RecordVersion {
            var record = try Self.conformanceRecord(Self.rows[0], op: op)
            record.source.commitLSN = LSN(rawValue: commit)
            record.source.lsn = LSN(rawValue: lsn)
            guard case .change(let decoded) = try DebeziumMessageDecoder.decode(key: try encoder.key(["id": 1]), value: try encoder.value(record))
            else { throw DebeziumFixture.FixtureError(name: "not a change") }
            return decoded.version
        }
        // A change committed before the snapshot point, the snapshot row, a change whose transaction began before
        // the point (its LSN is below it) but committed after, and a later one.
        let ordered = [
            try version(.update, commit: 900, lsn: 880), try version(.read, commit: 1000, lsn: 1000),
            try version(.update, commit: 1100, lsn: 950), try version(.update, commit: 1100, lsn: 1050),
            try version(.update, commit: 1200, lsn: 1150),
        ]
        #expect(ordered == ordered.sorted())
        #expect(Set(ordered).count == ordered.count)
    }

    @Test func decimalsAsJavasBigIntegerWritesThem() {
        #expect(DebeziumDecimal.unscaledBytes(of: "1234567.12345", scale: 5) == [0x1C, 0xBE, 0x97, 0xEE, 0x99])
        #expect(DebeziumDecimal.unscaledBytes(of: "-0.00001", scale: 5) == [0xFF])
        #expect(DebeziumDecimal.unscaledBytes(of: "-128", scale: 0) == [0x80])
        #expect(DebeziumDecimal.unscaledBytes(of: "128", scale: 0) == [0x00, 0x80])
        #expect(DebeziumDecimal.unscaledBytes(of: "-129", scale: 0) == [0xFF, 0x7F])
        #expect(DebeziumDecimal.unscaledBytes(of: "0", scale: 2) == [0x00])
        #expect(DebeziumDecimal.unscaledBytes(of: "1.5", scale: 2) == [0x00, 0x96])
        #expect(DebeziumDecimal.unscaledBytes(of: "1.505", scale: 2) == nil)
        #expect(DebeziumDecimal.unscaledBytes(of: "1.500", scale: 2) == [0x00, 0x96])
    }

    @Test func aValueWithoutADebeziumFormStopsNamingTheColumn() throws {
        let record = try Self.conformanceRecord(Self.rows[0].replacingOccurrences(of: #""pay_date":"2024-01-02""#, with: #""pay_date":"infinity""#))
        #expect(throws: DebeziumEncodingError.self) { try DebeziumRecordEncoder(table: Self.conformance).value(record) }
        do {
            _ = try DebeziumRecordEncoder(table: Self.conformance).value(record)
        } catch {
            #expect(error.description.contains("column pay_date of public.conformance") && error.description.contains("--record-format ferry"))
        }
    }
}
