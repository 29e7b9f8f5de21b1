import Testing

@testable import Shared

/// The fast path of decoding (`CanonicalRecordReader`) against the general decoder: it must take every record Ferry
/// writes, return exactly what the general decoder returns, and leave everything else to it.
@Suite struct ChangeRecordDecoderTests {
    @Test func takesEveryRecordFerryWritesAndAgreesWithTheGeneralDecoder() throws {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let record = RandomRecords.record(using: &random)
            let bytes = ChangeRecordCodec.encodeValue(record)
            var memo = ColumnTypesMemo()
            let fast = bytes.withUnsafeBytes { bytes in
                var reader = CanonicalRecordReader(bytes)
                return reader.read(reusing: &memo)
            }
            let general = try bytes.withUnsafeBytes { try ChangeRecordCodec.decodeAnyLayout($0) }
            #expect(fast == general, "\(String(decoding: bytes, as: UTF8.self))")
            #expect(general == record)
        }
    }

    @Test func remembersTypesPerTableWhenTablesInterleaveAndSchemasChange() throws {
        var random = SystemRandomNumberGenerator()
        // Twelve tables (more than the memo holds), their records interleaved; some tables gain a column midway.
        var typesByTable = (0..<12).map { _ in RandomRecords.types(using: &random) }
        var decoder = ChangeRecordDecoder()
        for index in 0..<3000 {
            let table = Int.random(in: 0..<typesByTable.count, using: &random)
            if index % 500 == 499 { typesByTable[table].append(ColumnType(column: "added_\(index)", typeName: "text")) }
            var record = RandomRecords.record(using: &random)
            record.source.table = "t\(table)"
            record.types = typesByTable[table]
            let bytes = ChangeRecordCodec.encodeValue(record)
            #expect(try bytes.withUnsafeBytes { try decoder.decodeValue($0) } == record)
        }
    }

    @Test func tellsApartTypesMapsOfTheSameLength() throws {
        var decoder = ChangeRecordDecoder()
        var record = CodecFixtures.updateRecord
        for types in [[ColumnType(column: "a", typeName: "int4")], [ColumnType(column: "b", typeName: "int4")], [ColumnType(column: "a", typeName: "int8")]] {
            record.types = types
            let bytes = ChangeRecordCodec.encodeValue(record)
            #expect(try bytes.withUnsafeBytes { try decoder.decodeValue($0) }.types == types)
        }
    }

    @Test func leavesIntegersOutsideInt64ToTheGeneralDecoder() throws {
        for (text, expected) in [("9223372036854775807", Int64.max), ("-9223372036854775808", Int64.min), ("-0", 0)] {
            let json = CodecFixtures.updateRecordJSON.replacingOccurrences(of: #""seq":3"#, with: "\"seq\":\(text)")
            #expect(try ChangeRecordCodec.decodeValue(Array(json.utf8)).source.seq == expected)
        }
        for text in ["9223372036854775808", "-9223372036854775809", "1e3"] {
            let json = CodecFixtures.updateRecordJSON.replacingOccurrences(of: #""seq":3"#, with: "\"seq\":\(text)")
            #expect(throws: ChangeRecordDecodingError(part: .value, path: "source.seq", problem: .notAnInt64(text))) {
                try ChangeRecordCodec.decodeValue(Array(json.utf8))
            }
        }
    }

    /// Damaged and rearranged records: whatever the fast path accepts, the general decoder accepts and reads the same;
    /// the decoder's answer (record or error) is always the general decoder's.
    @Test func leavesEverythingElseToTheGeneralDecoder() throws {
        var random = SystemRandomNumberGenerator()
        var accepted = 0
        for _ in 0..<3000 {
            let original = ChangeRecordCodec.encodeValue(RandomRecords.record(using: &random))
            let damaged = RandomRecords.damage(original, using: &random)
            var memo = ColumnTypesMemo()
            let fast = damaged.withUnsafeBytes { bytes in
                var reader = CanonicalRecordReader(bytes)
                return reader.read(reusing: &memo)
            }
            let general = damaged.withUnsafeBytes { bytes in
                Result { () throws(ChangeRecordDecodingError) in try ChangeRecordCodec.decodeAnyLayout(bytes) }
            }
            let text = String(decoding: damaged, as: UTF8.self)
            if let fast {
                accepted += 1
                #expect(try general.get() == fast, "\(text)")
            }
            var decoder = ChangeRecordDecoder()
            let decoded = damaged.withUnsafeBytes { bytes in
                Result { () throws(ChangeRecordDecodingError) in try decoder.decodeValue(bytes) }
            }
            #expect(decoded == general, "\(text)")
        }
        // Some damage leaves a canonical record (a changed digit or letter inside a value): both paths are exercised.
        #expect(accepted > 0)
    }

    @Test func takesOnlyTheCanonicalLayout() throws {
        let canonical = Array(CodecFixtures.updateRecordJSON.utf8)
        for variant in [
            CodecFixtures.updateRecordJSON + " ",  // trailing whitespace
            CodecFixtures.updateRecordJSON.replacingOccurrences(of: #"{"op":"u","#, with: #"{ "op":"u","#),
            CodecFixtures.updateRecordJSON.replacingOccurrences(of: #""seq":3"#, with: #""seq":3.0"#),
            CodecFixtures.updateRecordJSON.replacingOccurrences(of: #""txId":755"#, with: #""txId":"755""#),
            CodecFixtures.updateRecordJSON.replacingOccurrences(of: #""unchanged":["Payload"]"#, with: #""unchanged":null"#),
        ] {
            var memo = ColumnTypesMemo()
            let fast = Array(variant.utf8).withUnsafeBytes { bytes in
                var reader = CanonicalRecordReader(bytes)
                return reader.read(reusing: &memo)
            }
            #expect(fast == nil, "\(variant)")
        }
        var memo = ColumnTypesMemo()
        let fast = canonical.withUnsafeBytes { bytes in
            var reader = CanonicalRecordReader(bytes)
            return reader.read(reusing: &memo)
        }
        #expect(fast == CodecFixtures.updateRecord)
    }
}

/// Random records with the values that make JSON and Int64 hard: escapes, non-ASCII text, extreme integers, exotic
/// numbers, nesting.
private enum RandomRecords {
    static func record(using random: inout some RandomNumberGenerator) -> ChangeRecord {
        let op = Operation.allCases.randomElement(using: &random) ?? .create
        let source = SourceInfo(
            connector: text(using: &random), version: text(using: &random), name: text(using: &random),
            db: text(using: &random), schema: text(using: &random), table: text(using: &random),
            snapshot: Bool.random(using: &random), txId: Bool.random(using: &random) ? nil : integer(using: &random),
            lsn: LSN(rawValue: UInt64.random(in: 0...UInt64.max, using: &random)),
            commitLSN: LSN(rawValue: UInt64.random(in: 0...UInt64.max, using: &random)),
            seq: integer(using: &random), tsMs: integer(using: &random),
            generation: Bool.random(using: &random) ? 0 : Int64.random(in: 1...99_999_999, using: &random))
        return ChangeRecord(
            op: op, tsMs: integer(using: &random), source: source, key: optionalRow(using: &random),
            before: optionalRow(using: &random), after: optionalRow(using: &random), types: types(using: &random),
            unchanged: (0..<Int.random(in: 0...3, using: &random)).map { _ in text(using: &random) })
    }

    static func types(using random: inout some RandomNumberGenerator) -> [ColumnType] {
        (0..<Int.random(in: 0...6, using: &random)).map { _ in
            ColumnType(column: text(using: &random), typeName: ["int4", "text", "numeric", "bytea", "jsonb", "text[]"].randomElement(using: &random) ?? "text")
        }
    }

    /// `bytes` with one random change: a byte replaced, removed or duplicated, whitespace inserted, or cut short.
    static func damage(_ bytes: [UInt8], using random: inout some RandomNumberGenerator) -> [UInt8] {
        var damaged = bytes
        let at = Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<5, using: &random) {
        case 0: damaged[at] = Array(#"{}[]:,"\ 0123456789-.eEtruefalsn"#.utf8).randomElement(using: &random) ?? 0
        case 1: damaged.remove(at: at)
        case 2: damaged.insert(bytes[at], at: at)
        case 3: damaged.insert(UInt8(ascii: " "), at: at)
        default: damaged.removeLast(bytes.count - at)
        }
        return damaged
    }

    private static func optionalRow(using random: inout some RandomNumberGenerator) -> JSONObject? {
        guard Bool.random(using: &random) else { return nil }
        return JSONObject(fields: (0..<Int.random(in: 0...5, using: &random)).map { _ in
            JSONObject.Field(name: text(using: &random), value: value(depth: 0, using: &random))
        })
    }

    private static func value(depth: Int, using random: inout some RandomNumberGenerator) -> JSONValue {
        switch Int.random(in: 0..<(depth < 3 ? 8 : 6), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .integer(integer(using: &random))
        case 3: return .number(["-0", "1.5e-07", "123456789012345678901234567890.5", "0.00", "-12.34E+5"].randomElement(using: &random) ?? "0")
        case 4, 5: return .string(text(using: &random))
        case 6: return .array((0..<Int.random(in: 0...3, using: &random)).map { _ in value(depth: depth + 1, using: &random) })
        default:
            return .object(JSONObject(fields: (0..<Int.random(in: 0...3, using: &random)).map { _ in
                JSONObject.Field(name: text(using: &random), value: value(depth: depth + 1, using: &random))
            }))
        }
    }

    private static func integer(using random: inout some RandomNumberGenerator) -> Int64 {
        [Int64.min, Int64.max, 0, -1, Int64.random(in: .min ... .max, using: &random)].randomElement(using: &random) ?? 0
    }

    private static func text(using random: inout some RandomNumberGenerator) -> String {
        let pieces = ["a", "Z", "_", " ", "\"", "\\", "/", "\n", "\u{0}", "\u{1F}", "é", "😀", "𝄞", "0/16B", "null", "{", "]"]
        return (0..<Int.random(in: 0...6, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }.joined()
    }
}
