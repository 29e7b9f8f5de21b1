import Testing

@testable import Shared

/// Debezium's records become Ferry's records of the same changes: the documentation's examples, every type of the
/// conformance table in each decimal and time mode, and errors that name the field.
@Suite("Debezium message decoder")
struct DebeziumMessageDecoderTests {
    static func object(_ json: String) throws -> JSONObject {
        guard case .object(let object) = try JSONParser.parse(json) else { throw DebeziumFixture.FixtureError(name: json) }
        return object
    }

    /// Row 1 of the conformance fixtures as Ferry's capture writes it (docs/design.md, "Column values"); `timetz` is
    /// the one difference: Debezium sends it converted to UTC.
    static let row1 = #"""
        {"id":1,"customer_id":7,"small":-3,"amount":1234567.12345,"price":3.14159,"rate":0.5,"ratio":0.25,"paid":true,
         "pay_date":"2024-01-02","created":"2024-01-01T10:00:00.123456","settled":"2024-01-01T08:00:00.5Z",
         "meta":{"n":1,"list":[1,"x",null]},"doc":{"b":[true,2.50]},"blob":"AAAAKg==","tags":["a1",null,"q\"uote"],
         "scores":[1,-1],"ref":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11","mood":"calm","note":"tab\there \"é\" ✓",
         "at_time":"10:15:30.25","short_time":"10:15:30.125","attz":"08:15:30.25+00"}
        """#
    static let row2 = #"""
        {"id":2,"customer_id":8,"small":null,"amount":-0.00001,"price":-12,"rate":-1.25,"ratio":null,"paid":false,
         "pay_date":"1969-12-31","created":"1969-12-31T23:59:59.999999","settled":null,"meta":"text","doc":null,
         "blob":null,"tags":[],"scores":null,"ref":null,"mood":"busy","note":null,"at_time":"00:00:00",
         "short_time":"23:59:59.999","attz":null}
        """#
    static let types: [ColumnType] = [
        ("id", "int4"), ("customer_id", "int8"), ("small", "int2"), ("amount", "numeric"), ("price", "numeric"),
        ("rate", "float8"), ("ratio", "float4"), ("paid", "bool"), ("pay_date", "date"), ("created", "timestamp"),
        ("settled", "timestamptz"), ("meta", "jsonb"), ("doc", "jsonb"), ("blob", "bytea"), ("tags", "text[]"),
        ("scores", "int4[]"), ("ref", "uuid"), ("mood", "text"), ("note", "text"), ("at_time", "time"),
        ("short_time", "time"), ("attz", "timetz"),
    ].map { ColumnType(column: $0.0, typeName: $0.1) }

    // MARK: The documentation's examples

    @Test func theDocumentationsCreateEventIsAFerryCreate() throws {
        let record = try DebeziumFixture("customers").record(0)
        #expect(record.op == .create)
        #expect(record.key == ["id": 1])
        #expect(record.before == nil)
        #expect(record.after == (try Self.object(#"{"id":1,"first_name":"Anne","last_name":"Kretchmar","email":"annek@noanswer.org"}"#)))
        #expect(record.types.map(\.typeName) == ["int4", "text", "text", "text"])
        #expect(record.source.schema == "public" && record.source.table == "customers" && record.source.name == "PostgreSQL_server")
        #expect(record.source.txId == 555 && record.source.tsMs == 1_559_033_904_863)
        // sequence ["24023119","24023128"]: (last commit LSN, LSN).
        #expect(record.version == RecordVersion(commitLSN: LSN(rawValue: 24_023_119), seq: 24_023_128, scheme: .debezium))
    }

    @Test func updateDeleteTombstoneTruncateAndMessage() throws {
        let fixture = try DebeziumFixture("customers")
        let update = try fixture.record(1)
        #expect(update.op == .update && update.before == ["id": 1] && update.after?["first_name"] == "Anne Marie")
        // The page's update has no sequence: the last commit LSN counts as 0, the LSN is source.lsn.
        #expect(update.version == RecordVersion(commitLSN: LSN(rawValue: 0), seq: 24_023_128, scheme: .debezium))
        let delete = try fixture.record(2)
        #expect(delete.op == .delete && delete.after == nil && delete.before == ["id": 1] && delete.key == ["id": 1])
        #expect(try fixture.decoded(3) == .tombstone(key: ["id": 1], types: [ColumnType(column: "id", typeName: "int4")]))
        let truncate = try fixture.record(4)
        #expect(truncate.op == .truncate && truncate.key == nil && truncate.source.table == "customers")
        #expect(truncate.version == RecordVersion(commitLSN: LSN(rawValue: 0), seq: 46_523_128, scheme: .debezium))
        #expect(try fixture.decoded(5) == .logicalMessage)
    }

    // MARK: Every type, in each mode

    @Test func preciseAdaptiveGivesFerrysValuesForEveryType() throws {
        let fixture = try DebeziumFixture("conformance-precise-adaptive")
        let snapshot1 = try fixture.record(0)
        #expect(snapshot1.op == .read && snapshot1.source.snapshot)
        #expect(snapshot1.after == (try Self.object(Self.row1)))
        #expect(snapshot1.types == Self.types)
        #expect(try fixture.record(1).after == (try Self.object(Self.row2)))
    }

    @Test(arguments: ["precise-adaptive_time_microseconds", "precise-connect", "string-adaptive", "double-adaptive"])
    func otherModesGiveTheSameValuesWhereTheModeKeepsThem(mode: String) throws {
        var expected = try Self.object(Self.row1)
        switch mode {
        case "precise-connect": expected["created"] = "2024-01-01T10:00:00.123"  // connect keeps milliseconds
        case "string-adaptive": expected["price"] = "3.14159"  // a string, unless the source type is propagated
        default: break
        }
        let record = try DebeziumFixture("conformance-\(mode)").record(0)
        #expect(record.after == expected)
        var types = Self.types
        if mode == "string-adaptive" { types[4].typeName = "text" }
        if mode == "double-adaptive" { (types[3].typeName, types[4].typeName) = ("float8", "float8") }
        #expect(record.types == types)
    }

    @Test func withoutSchemasValuesAreTakenAsTheyAre() throws {
        let record = try DebeziumFixture("conformance-schemaless-string-adaptive").record(0)
        #expect(record.types.isEmpty)
        #expect(record.key == ["id": 1])
        #expect(record.after?["amount"] == "1234567.12345")
        #expect(record.after?["pay_date"] == .number("19724"))
        #expect(record.after?["note"] == "tab\there \"é\" ✓")
    }

    @Test func unavailableValuesBecomeUnchangedColumns() throws {
        let record = try DebeziumFixture("conformance-precise-adaptive").record(4)
        #expect(record.unchanged == ["tags", "note"])  // in column order
        #expect(record.after?["note"] == nil && record.after?["tags"] == nil)
        #expect(record.after?["short_time"] == "11:00:00")
    }

    // MARK: Versions

    /// The rule of docs/design.md, "Debezium records": along the fixture's stream every version grows, although
    /// the first streamed change's LSN is below the snapshot's.
    @Test func versionsGrowAlongTheStream() throws {
        let fixture = try DebeziumFixture("conformance-precise-adaptive")
        let versions = try (0..<6).map { try fixture.record($0).version }
        #expect(versions[0] == RecordVersion(commitLSN: LSN(rawValue: 0), seq: -1, scheme: .debezium))
        #expect(versions[2] == RecordVersion(commitLSN: LSN(rawValue: 0), seq: 22_999_000, scheme: .debezium))
        #expect(try fixture.record(2).source.lsn < LSN(rawValue: 23_000_000))
        for index in 1..<5 { #expect(versions[index] <= versions[index + 1]) }
        #expect(versions[1] < versions[2] && versions[2] < versions[3] && versions[4] < versions[5])
    }

    // MARK: Errors name the field

    static let envelope = #"""
        {"schema":{"type":"struct","fields":[{"type":"struct","field":"after","fields":[
          {"type":"int32","field":"id"},{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal",
           "parameters":{"scale":"2"},"field":"amount"},{"type":"struct","name":"io.debezium.data.geometry.Point",
           "fields":[],"field":"spot"},{"type":"string","name":"io.debezium.time.ZonedTimestamp","field":"at"}]}]},
         "payload":{"op":"c","source":{"version":"2","connector":"postgresql","name":"p","ts_ms":1,"db":"d",
           "sequence":"[\"10\",\"20\"]","schema":"public","table":"t","txId":1,"lsn":20},
           "after":{"id":1,"amount":AMOUNT,"spot":SPOT,"at":AT}}}
        """#

    func decodeEnvelope(amount: String = #""BNI=""#, spot: String = "null", at: String = "null") throws(ChangeRecordDecodingError)
        -> DebeziumMessage
    {
        let text = Self.envelope.replacingOccurrences(of: "AMOUNT", with: amount)
            .replacingOccurrences(of: "SPOT", with: spot).replacingOccurrences(of: "AT", with: at)
        return try DebeziumMessageDecoder.decode(key: nil, value: Array(text.utf8))
    }

    @Test func aDecimalDecodesAndBadInputNamesItsPath() throws {
        guard case .change(let record) = try decodeEnvelope() else { Issue.record("not a change"); return }
        #expect(record.after?["amount"] == .number("12.34"))
        #expect(throws: ChangeRecordDecodingError.self) { try decodeEnvelope(amount: #""not base64!""#) }
        do {
            _ = try decodeEnvelope(amount: #""not base64!""#)
        } catch {
            #expect(error.path == "payload.after.amount")
            #expect(error.description.contains("scale 2"))
        }
    }

    @Test func geometryIsRefusedNamingTheType() {
        do {
            _ = try decodeEnvelope(spot: #"{"x":1,"y":2}"#)
            Issue.record("decoded a point")
        } catch {
            #expect(error.path == "payload.after.spot")
            #expect(error.description.contains("io.debezium.data.geometry.Point"))
        }
    }

    @Test func aMalformedZonedTimestampNamesItsPath() {
        do {
            _ = try decodeEnvelope(at: #""2024-13-01T00:00:00Z""#)
            Issue.record("decoded month 13")
        } catch {
            #expect(error.path == "payload.after.at")
        }
    }

    @Test func aVariableScaleDecimalWithoutItsSchemaIsRefused() {
        let value = #"""
            {"op":"c","source":{"version":"2","connector":"postgresql","name":"p","ts_ms":1,"db":"d",
             "sequence":"[null,\"20\"]","schema":"public","table":"t","lsn":20},
             "after":{"id":1,"price":{"scale":2,"value":"BNI="}}}
            """#
        do {
            _ = try DebeziumMessageDecoder.decode(key: nil, value: Array(value.utf8))
            Issue.record("decoded a variable-scale decimal without schema")
        } catch {
            #expect(error.path == "after.price")
            #expect(error.description.contains("schemas.enable=true"))
        }
    }

    @Test func envelopeProblemsNameTheirField() {
        func failure(_ value: String) -> ChangeRecordDecodingError? {
            do {
                _ = try DebeziumMessageDecoder.decode(key: nil, value: Array(value.utf8))
                return nil
            } catch {
                return error
            }
        }
        let source = #""source":{"version":"2","connector":"postgresql","name":"p","ts_ms":1,"db":"d","schema":"s","table":"t","lsn":5"#
        #expect(failure(#"{"op":"x",\#(source)}}"#)?.problem == .unknownOperation("x"))
        #expect(failure(#"{"op":"c"}"#)?.path == "source")
        #expect(failure(#"{"op":"c",\#(source),"sequence":"[1,2]"}}"#)?.path == "source.sequence")
        #expect(failure(#"{"op":"c",\#(source),"snapshot":"maybe"}}"#)?.path == "source.snapshot")
        #expect(failure(#"{"op":"u",\#(source)},"after":[1]}"#)?.path == "after")
        #expect(failure("{").map { if case .syntax = $0.problem { true } else { false } } == true)
        #expect(throws: ChangeRecordDecodingError.self) { try DebeziumMessageDecoder.decode(key: nil as [UInt8]?, value: nil) }
    }

    // MARK: Values

    @Test func decimalsFromTwosComplementBytes() {
        #expect(DebeziumDecimal.text(unscaled: [0x00], scale: 0) == "0")
        #expect(DebeziumDecimal.text(unscaled: [0xFF], scale: 5) == "-0.00001")
        #expect(DebeziumDecimal.text(unscaled: [0x80], scale: 0) == "-128")
        #expect(DebeziumDecimal.text(unscaled: [0x00, 0x80], scale: 1) == "12.8")
        #expect(DebeziumDecimal.text(unscaled: [0x04, 0xD2], scale: 2) == "12.34")
        #expect(DebeziumDecimal.text(unscaled: [0x00], scale: 3) == "0.000")
        // 2^64: more than a UInt64 holds.
        #expect(DebeziumDecimal.text(unscaled: [0x01, 0, 0, 0, 0, 0, 0, 0, 0], scale: 0) == "18446744073709551616")
        #expect(DebeziumDecimal.text(unscaled: [], scale: 0) == nil)
    }

    @Test func everyTimeLogicalType() throws {
        func value(_ name: String, _ type: String, _ json: JSONValue) throws -> JSONValue {
            let schema = try ConnectSchema(["type": .string(type), "name": .string(name)], path: "", part: .value)
            return try DebeziumColumnValue.convert(json, schema: schema, path: "c", part: .value)
        }
        #expect(try value("io.debezium.time.NanoTimestamp", "int64", .number("1704103200123456000")) == "2024-01-01T10:00:00.123456")
        #expect(try value("io.debezium.time.Timestamp", "int64", .number("1704103200123")) == "2024-01-01T10:00:00.123")
        #expect(try value("org.apache.kafka.connect.data.Timestamp", "int64", .number("-1")) == "1969-12-31T23:59:59.999")
        #expect(try value("io.debezium.time.NanoTime", "int64", .number("36930250000000")) == "10:15:30.25")
        #expect(try value("org.apache.kafka.connect.data.Time", "int32", .number("0")) == "00:00:00")
        #expect(try value("org.apache.kafka.connect.data.Date", "int32", .number("-719162")) == "0001-01-01")
        #expect(try value("io.debezium.time.ZonedTimestamp", "string", "2024-01-01T10:00:00.5+02:00") == "2024-01-01T08:00:00.5Z")
        #expect(try value("io.debezium.time.ZonedTimestamp", "string", "2024-03-01T00:30:00-01:00") == "2024-03-01T01:30:00Z")
        #expect(try value("io.debezium.time.ZonedTimestamp", "string", "infinity") == "infinity")
        #expect(try value("io.debezium.time.ZonedTime", "string", "08:15:30.25Z") == "08:15:30.25+00")
        #expect(try value("io.debezium.time.ZonedTime", "string", "08:15:30+05:30") == "08:15:30+05:30")
        #expect(throws: ChangeRecordDecodingError.self) { try value("io.debezium.time.ZonedTime", "string", "8:15Z") }
        #expect(throws: ChangeRecordDecodingError.self) { try value("io.debezium.time.MicroDuration", "int64", .number("1")) }
        #expect(throws: ChangeRecordDecodingError.self) { try value("io.debezium.time.MicroTime", "int64", "noon") }
    }
}
