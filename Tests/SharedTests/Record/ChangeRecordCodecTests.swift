import Testing

@testable import Shared

@Suite struct ChangeRecordCodecTests {
    private func decodingError(value json: String) -> ChangeRecordDecodingError? {
        do {
            _ = try ChangeRecordCodec.decodeValue(Array(json.utf8))
            return nil
        } catch {
            return error
        }
    }

    /// The golden record's JSON with one field of the envelope (or of `source`) replaced.
    private func value(replacing field: String, with replacement: String, inSource: Bool) throws -> String {
        guard case .object(var envelope) = try JSONParser.parse(CodecFixtures.updateRecordJSON),
            case .object(var source)? = envelope["source"]
        else { throw FixtureError() }
        let newValue = try JSONParser.parse(replacement)
        if inSource {
            source[field] = newValue
            envelope["source"] = .object(source)
        } else {
            envelope[field] = newValue
        }
        return String(decoding: JSONValue.object(envelope).jsonBytes, as: UTF8.self)
    }

    // MARK: Encoding

    @Test func encodesTheGoldenRecord() {
        let bytes = ChangeRecordCodec.encodeValue(CodecFixtures.updateRecord)
        #expect(String(decoding: bytes, as: UTF8.self) == CodecFixtures.updateRecordJSON)
    }

    @Test func encodesIntoAReusedBuffer() {
        var buffer = Array("junk".utf8)
        buffer.removeAll(keepingCapacity: true)
        ChangeRecordCodec.encodeValue(CodecFixtures.updateRecord, into: &buffer)
        ChangeRecordCodec.encodeValue(CodecFixtures.updateRecord, into: &buffer)
        #expect(
            String(decoding: buffer, as: UTF8.self) == CodecFixtures.updateRecordJSON + CodecFixtures.updateRecordJSON)
    }

    @Test func encodesTruncateWithNullsAndEmptyCollections() {
        var source = CodecFixtures.source
        source.txId = nil
        source.snapshot = true
        source.seq = -1
        source.lsn = LSN(rawValue: 0)
        source.commitLSN = LSN(rawValue: UInt64.max)
        source.tsMs = -5
        let record = ChangeRecord(op: .truncate, tsMs: 0, source: source, key: nil, before: nil, after: nil)
        let expected =
            #"{"op":"t","ts_ms":0,"source":{"connector":"ferry","version":"0.1.0","name":"loanapp","#
            + #""db":"LoanApplication","schema":"dbo","table":"Payments","snapshot":true,"txId":null,"#
            + #""lsn":"0/0","commit_lsn":"FFFFFFFF/FFFFFFFF","seq":-1,"ts_ms":-5},"#
            + #""key":null,"before":null,"after":null,"types":{},"unchanged":[]}"#
        #expect(String(decoding: ChangeRecordCodec.encodeValue(record), as: UTF8.self) == expected)
    }

    @Test func encodesKeys() {
        #expect(ChangeRecordCodec.encodeKey(["PaymentId": 42]) == Array(#"{"PaymentId":42}"#.utf8))
        #expect(
            ChangeRecordCodec.encodeKey(["ApplicationId": "A\"1", "LogTimestamp": "2024-01-02T03:04:05Z"])
                == Array(#"{"ApplicationId":"A\"1","LogTimestamp":"2024-01-02T03:04:05Z"}"#.utf8))
    }

    // MARK: Round trips

    @Test func decodesTheGoldenRecord() throws {
        let record = try ChangeRecordCodec.decodeValue(Array(CodecFixtures.updateRecordJSON.utf8))
        #expect(record == CodecFixtures.updateRecord)
    }

    @Test(arguments: Operation.allCases)
    func roundTripsNastyValues(op: Operation) throws {
        let controlCharacters = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
        let row: JSONObject = [
            "emoji 😀👩‍👩‍👧": "e\u{301}\u{10FFFF}",
            "controls": .string(controlCharacters),
            "quotes": #""\"\\"#,
            "empty": "",
            "null": .null,
            "NULL string": "NULL",
            "huge": .number("123456789012345678901234567890.123456789012345678901234567890"),
            "negative zero": .number("-0"),
            "exponent": .number("1.5e-07"),
            "nan": "NaN",
            "infinity": "-Infinity",
            "nested": [[1, [2, .null]], ["a": ["b": [:]]], [], .object([:])],
            "empty object": .object([:]),
            "int8 min": .integer(Int64.min),
        ]
        var source = CodecFixtures.source
        source.table = "Ta\"ble\n"
        source.txId = Int64.max
        source.seq = Int64.min
        let record = ChangeRecord(
            op: op, tsMs: Int64.max, source: source, key: ["id\u{0}": "k😀"], before: [:], after: row,
            types: [ColumnType(column: "emoji 😀👩‍👩‍👧", typeName: "text[]"), ColumnType(column: "", typeName: "")],
            unchanged: ["", "a\"b", "😀"])
        let bytes = ChangeRecordCodec.encodeValue(record)
        #expect(try ChangeRecordCodec.decodeValue(bytes) == record)
        #expect(try JSONParser.parse(bytes).jsonBytes == bytes, "encoding is canonical")
    }

    /// A first-generation record is written as before generations existed; a later one names its generation in
    /// `source`, and it is part of the record's version.
    @Test func writesTheGenerationOnlyFromTheSecondOn() throws {
        var record = CodecFixtures.updateRecord
        #expect(ChangeRecordCodec.encodeValue(record) == Array(CodecFixtures.updateRecordJSON.utf8))
        record.source.generation = 3
        let bytes = ChangeRecordCodec.encodeValue(record)
        #expect(String(decoding: bytes, as: UTF8.self).contains(#""snapshot":false,"generation":3,"txId":"#))
        let decoded = try ChangeRecordCodec.decodeValue(bytes)
        #expect(decoded == record)
        #expect(decoded.version == RecordVersion(generation: 3, commitLSN: record.source.commitLSN, seq: record.source.seq))
        #expect(decoded.version > CodecFixtures.updateRecord.version)
    }

    @Test func decodesLeniently() throws {
        let json =
            #" { "extra": {"deep": [1]}, "types": null, "ts_ms": 5, "op": "d", "key": {"id": 1}, "#
            + #""source": {"seq": 0, "ts_ms": 6, "commit_lsn": "0/2", "lsn": "0/1", "snapshot": false, "#
            + #""table": "t", "schema": "s", "db": "d", "name": "n", "version": "v", "connector": "c", "more": 1} } "#
        let record = try ChangeRecordCodec.decodeValue(Array(json.utf8))
        let expected = ChangeRecord(
            op: .delete, tsMs: 5,
            source: SourceInfo(
                connector: "c", version: "v", name: "n", db: "d", schema: "s", table: "t", snapshot: false,
                txId: nil, lsn: LSN(rawValue: 1), commitLSN: LSN(rawValue: 2), seq: 0, tsMs: 6),
            key: ["id": 1], before: nil, after: nil)
        #expect(record == expected)
    }

    // MARK: Decoding errors

    @Test(
        arguments: [
            ("op", "\"x\"", false, #"message value, at op: unknown op "x""#),
            ("op", "\"U\"", false, #"message value, at op: unknown op "U""#),
            ("op", "1", false, "message value, at op: expected a string, found the number 1"),
            ("ts_ms", "1.5", false, "message value, at ts_ms: 1.5 is not a 64-bit integer"),
            (
                "ts_ms", "9223372036854775808", false,
                "message value, at ts_ms: 9223372036854775808 is not a 64-bit integer"
            ),
            ("ts_ms", "null", false, "message value, at ts_ms: expected an integer, found null"),
            ("source", "[]", false, "message value, at source: expected an object, found an array"),
            ("after", "[]", false, "message value, at after: expected an object or null, found an array"),
            ("key", "\"42\"", false, "message value, at key: expected an object or null, found a string"),
            ("types", #"{"a":1}"#, false, "message value, at types.a: expected a string, found the number 1"),
            ("types", "[]", false, "message value, at types: expected an object, found an array"),
            ("unchanged", #"["a",null]"#, false, "message value, at unchanged[1]: expected a string, found null"),
            ("unchanged", "\"a\"", false, "message value, at unchanged: expected an array, found a string"),
            ("commit_lsn", "\"zz\"", true, #"message value, at source.commit_lsn: invalid LSN "zz""#),
            ("lsn", "\"0/1/2\"", true, #"message value, at source.lsn: invalid LSN "0/1/2""#),
            ("seq", "\"3\"", true, "message value, at source.seq: expected an integer, found a string"),
            ("txId", "true", true, "message value, at source.txId: expected an integer or null, found a boolean"),
            ("snapshot", "\"true\"", true, "message value, at source.snapshot: expected a boolean, found a string"),
            ("table", "null", true, "message value, at source.table: expected a string, found null"),
        ] as [(String, String, Bool, String)])
    func reportsWhereAndWhat(field: String, replacement: String, inSource: Bool, message: String) throws {
        let json = try value(replacing: field, with: replacement, inSource: inSource)
        #expect(decodingError(value: json)?.description == message)
    }

    @Test func reportsMissingRequiredFields() {
        #expect(
            decodingError(value: #"{"op":"c","ts_ms":1}"#)
                == ChangeRecordDecodingError(part: .value, path: "source", problem: .missingField))
        #expect(
            decodingError(value: #"{"source":{}}"#)
                == ChangeRecordDecodingError(part: .value, path: "op", problem: .missingField))
        let withoutCommitLSN = CodecFixtures.updateRecordJSON.replacing(#""commit_lsn":"0/16B7010","#, with: "")
        let error = decodingError(value: withoutCommitLSN)
        #expect(error?.path == "source.commit_lsn")
        #expect(error?.problem == .missingField)
        #expect(error?.description == "message value, at source.commit_lsn: missing required field")
    }

    @Test func reportsSyntaxErrorsWithTheByteOffset() {
        let error = decodingError(value: #"{"op":"u",}"#)
        #expect(
            error
                == ChangeRecordDecodingError(
                    part: .value, path: "", problem: .syntax(JSONParseError(offset: 10, reason: .unexpectedByte(0x7D))))
        )
        #expect(error?.description == "message value: JSON syntax error at byte 10: unexpected '}' (0x7D)")
        #expect(
            decodingError(value: "[]")?.description == "message value: expected an object, found an array")
    }

    // MARK: Messages and tombstones

    @Test func decodesMessages() throws {
        let key = ChangeRecordCodec.encodeKey(["PaymentId": 42])
        let value = ChangeRecordCodec.encodeValue(CodecFixtures.updateRecord)
        #expect(try ChangeRecordCodec.decodeMessage(key: key, value: value) == .change(CodecFixtures.updateRecord))
        #expect(try ChangeRecordCodec.decodeMessage(key: nil, value: value) == .change(CodecFixtures.updateRecord))
        #expect(try ChangeRecordCodec.decodeMessage(key: key, value: nil) == .tombstone(key: ["PaymentId": 42]))
    }

    @Test func decodesMessagesFromRawBuffers() throws {
        let key = ChangeRecordCodec.encodeKey(["PaymentId": 42])
        let message = try key.withUnsafeBytes { keyBytes in
            try ChangeRecordCodec.decodeMessage(key: keyBytes, value: nil)
        }
        #expect(message == .tombstone(key: ["PaymentId": 42]))
    }

    @Test func rejectsBadTombstones() {
        #expect(throws: ChangeRecordDecodingError(part: .key, path: "", problem: .tombstoneWithoutKey)) {
            try ChangeRecordCodec.decodeMessage(key: nil as [UInt8]?, value: nil)
        }
        do {
            _ = try ChangeRecordCodec.decodeMessage(key: Array("42".utf8), value: nil)
            Issue.record("a non-object key must fail")
        } catch {
            #expect(error.description == "message key: expected an object, found the number 42")
        }
        do {
            _ = try ChangeRecordCodec.decodeKey(Array(#"{"id":"#.utf8))
            Issue.record("a truncated key must fail")
        } catch {
            #expect(error.description == "message key: JSON syntax error at byte 6: unexpected end of input")
        }
    }
}

private struct FixtureError: Error {}
