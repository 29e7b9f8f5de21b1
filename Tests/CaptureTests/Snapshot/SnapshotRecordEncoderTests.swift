import Shared
import Testing

@testable import Capture

/// The snapshot encoder writes message bytes straight from COPY text; consumers only ever see those bytes, so they
/// must equal what `ChangeRecordCodec` writes for the record built the general way (each field decoded to a
/// `JSONValue`, assembled into a `ChangeRecord`), for every type docs/design.md lists and every COPY escape.
@Suite("Snapshot record encoder: the same bytes as the record codec")
struct SnapshotRecordEncoderTests {
    /// A column and values of it as they appear in COPY's text format (backslashes of the value doubled by COPY).
    struct Column {
        var name: String
        var type: PostgresColumnType
        var values: [String]

        init(_ name: String, _ typeName: String, _ values: [String]) {
            let isArray = typeName.hasSuffix("[]")
            self.name = name
            self.type = PostgresColumnType(name: isArray ? String(typeName.dropLast(2)) : typeName, isArray: isArray)
            self.values = values
        }
    }

    static let columns: [Column] = [
        Column("id", "int4", ["1", "-2147483648", "2147483647", "0"]),
        Column("big", "int8", ["-9223372036854775808", "9223372036854775807"]),
        Column("small", "int2", ["-32768", "7"]),
        Column("oid", "oid", ["4294967295"]),
        Column(
            "amount", "numeric",
            [
                "12.34", "-0.00000000000000000000000000001", "0",
                "123456789012345678901234567890123456789012345678901234567890.123456789012345678901234567890",
                "NaN", "Infinity", "-Infinity",
            ]),
        Column("ratio", "float8", ["1.5e+20", "-0", "3.141592653589793", "1e-310", "NaN", "Infinity", "-Infinity"]),
        Column("f4", "float4", ["1.1754944e-38", "-3.4028235e+38"]),
        Column("paid", "bool", ["t", "f"]),
        Column("day", "date", ["2024-02-29", "0001-01-01 BC", "10000-12-31", "infinity", "-infinity"]),
        Column(
            "at", "timestamp",
            [
                "2024-01-02 03:04:05.123456", "2024-01-02 03:04:05", "2024-01-02 03:04:05.5", "infinity", "-infinity",
                "0044-03-15 12:00:00 BC", "294276-12-31 23:59:59.999999",
            ]),
        Column(
            "atz", "timestamptz",
            [
                "2024-01-02 03:04:05+00", "2024-01-02 03:04:05.000001+00", "2024-01-02 03:04:05.5+05:30",
                "2024-03-01 01:00:00+02", "2023-12-31 20:00:00-08", "1900-01-01 00:00:00+00:19:32", "infinity",
                "-infinity", "0044-03-15 12:00:00+00 BC",
            ]),
        Column(
            "doc", "jsonb",
            [
                #"{"a": [1, 2.50, "x\\"y"], "b": null, "u": "\\u00e9"}"#, "[]", #""str""#, "12345678901234567890.5",
                #"{"tab": "a\\tb", "nested": {"deep": [true, false, {}]}}"#,
            ]),
        Column("js", "json", [#"{ "spaced" : true ,"k":[ 1 , 2 ] }"#]),
        Column("blob", "bytea", [#"\\x00ff10"#, #"\\x"#, #"\\xdeadbeefcafe"#]),
        Column(
            "title", "text",
            [
                "plain", #"say "hi""#, #"back\\slash"#, #"a\tb"#, #"line1\nline2\r"#, #"\b\f\v"#, #"\101\102"#,
                #"\x41\x4a"#, #"\001\037\177"#, "héllo wörld ✓ 𝄞 日本語", #"\303\251"#, "", #"\\N"#, "NULL",
                String(repeating: "long ", count: 80), #"</script>\\u0000"#,
            ]),
        Column("name", "varchar", ["Zoë", #"tab\there"#]),
        Column("code", "bpchar", ["ab   "]),
        Column("uid", "uuid", ["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"]),
        Column("ip", "inet", ["192.168.0.1/24", "::1"]),
        Column("span", "interval", ["1 year 2 mons 3 days 04:05:06.789", "-00:00:01"]),
        Column("price", "money", ["$1,234.56", "-$0.01"]),
        Column("t", "time", ["04:05:06.789"]),
        Column("ttz", "timetz", ["04:05:06+02"]),
        Column("mood", "mood", ["happy", "très content"]),
        Column("x", "xml", [#"<a b="c">d</a>"#]),
        Column("ints", "int4[]", ["{1,2,NULL}", "{}", "{{1,2},{3,4}}", "[0:1]={5,6}"]),
        Column("texts", "text[]", [#"{"a b","c\\"d",NULL,"NULL",plain,"\\\\"}"#, #"{"é\tx"}"#]),
        Column("nums", "numeric[]", ["{1.5,NaN,-Infinity,123456789012345678901234567890}"]),
        Column("stamps", "timestamptz[]", [#"{"2024-01-02 03:04:05+00","2024-01-02 03:04:05.123+00",infinity}"#]),
        Column("boxes", "box[]", ["{(1,1),(0,0);(2,2),(1,1)}"]),
        Column(#"we"ird\name"#, "text", ["x"]),
        Column("ünïcode", "int8", ["5"]),
    ]

    /// Key columns in an order that differs from the table's, one of them text with escapes.
    static let keyIndexes = ["title", "id"].compactMap { name in columns.firstIndex { $0.name == name } }

    static let shape = RecordShape(
        schema: "dbo", table: #"Pay"ments"#, columns: columns.map { RecordShape.Column(name: $0.name, type: $0.type) },
        keyIndexes: keyIndexes)

    static let source = SourceInfo(
        version: "0.1.0", name: "loanapp", db: "Loan\"App", schema: "dbo", table: #"Pay"ments"#, snapshot: true,
        txId: nil, lsn: LSN(rawValue: 0x1_016B_6F40), commitLSN: LSN(rawValue: 0x1_016B_6F40), seq: -1,
        tsMs: 1_732_460_000_100)

    @Test func manyRowsOfEveryTypeEncodeToTheCodecsBytes() throws {
        var random = SplitMix64(seed: 0x5eed)
        let rows: [String] = (0..<3000).map { _ in
            Self.columns.map { column in
                random.next() % 10 == 0 ? #"\N"# : column.values[Int(random.next() % UInt64(column.values.count))]
            }.joined(separator: "\t")
        }
        let encoder = SnapshotRecordEncoder(shape: Self.shape, source: Self.source)
        // Several chunks of different sizes, each with its own ts_ms.
        var start = 0
        for (offset, size) in [1, 999, 2000].enumerated() {
            let chunk = Self.chunk(rows[start..<start + size])
            let tsMs = 1_732_460_000_123 + Int64(offset)
            let batch = try encoder.encode(chunk, tsMs: tsMs)
            let encoded = Self.messages(batch)
            #expect(Set(encoded.map(\.topic)) == ["loanapp.dbo.Pay-22ments"])  // `"` escaped (TopicLayout)
            let expected = try Self.referenceMessages(chunk, tsMs: tsMs)
            #expect(encoded.count == expected.count)
            for (index, (message, reference)) in zip(encoded, expected).enumerated() {
                #expect(
                    message.key == reference.key,
                    "row \(start + index) key: \(String(decoding: message.key, as: UTF8.self))")
                #expect(
                    message.value == reference.value,
                    "row \(start + index) value: \(String(decoding: message.value, as: UTF8.self))")
            }
            start += size
        }
    }

    @Test func everyValueOfEveryColumnAndNullsEncodeToTheCodecsBytes() throws {
        // Row i takes each column's value i (wrapping), and a last row is all NULL: every listed value appears.
        let longest = Self.columns.map(\.values.count).max() ?? 0
        let rows =
            (0..<longest).map { index in
                Self.columns.map { $0.values[index % $0.values.count] }.joined(separator: "\t")
            } + [Self.columns.map { _ in #"\N"# }.joined(separator: "\t")]
        let chunk = Self.chunk(rows[...])
        let encoded = Self.messages(try SnapshotRecordEncoder(shape: Self.shape, source: Self.source).encode(chunk, tsMs: 7))
        let expected = try Self.referenceMessages(chunk, tsMs: 7)
        #expect(encoded.map(\.key) == expected.map(\.key))
        #expect(encoded.map(\.value) == expected.map(\.value))
    }

    @Test func aRowWithFewerFieldsHasNullsForTheRestAsBefore() throws {
        let chunk = Self.chunk(["1\t2"])
        let encoded = Self.messages(try SnapshotRecordEncoder(shape: Self.shape, source: Self.source).encode(chunk, tsMs: 7))
        let expected = try Self.referenceMessages(chunk, tsMs: 7)
        #expect(encoded.map(\.value) == expected.map(\.value))
        #expect(encoded.map(\.key) == expected.map(\.key))
    }

    @Test func aRowWithMoreFieldsThanColumnsIsMalformed() {
        let chunk = Self.chunk([Self.columns.map { $0.values[0] }.joined(separator: "\t") + "\textra"])
        #expect(throws: MalformedCopyRow.self) {
            try SnapshotRecordEncoder(shape: Self.shape, source: Self.source).encode(chunk, tsMs: 7)
        }
    }

    @Test(arguments: [
        ("id", "12a"), ("amount", "1..2"), ("ratio", "one"), ("paid", "yes"), ("day", "2024-13-01"),
        ("at", "2024-01-02T03:04:05"), ("atz", "2024-01-02 03:04:05"), ("title", #"\377"#), ("doc", "{bad"),
        ("blob", #"\\xZZ"#), ("ints", "{1,2"),
    ])
    func aMalformedValueFailsWithTheDecodersError(column: String, text: String) throws {
        let index = try #require(Self.columns.firstIndex { $0.name == column })
        let fields = Self.columns.enumerated().map { $0.offset == index ? text : $0.element.values[0] }
        let chunk = Self.chunk([fields.joined(separator: "\t")])
        var referenceError: (any Error)?
        do { _ = try Self.referenceMessages(chunk, tsMs: 7) } catch { referenceError = error }
        let expected = try #require(referenceError as? PostgresValueError)
        #expect(throws: expected) {
            try SnapshotRecordEncoder(shape: Self.shape, source: Self.source).encode(chunk, tsMs: 7)
        }
    }

    // MARK: Helpers

    static func chunk(_ rows: some Collection<String>) -> PostgresCopyChunk {
        var chunk = PostgresCopyChunk(format: .text, reservingBytes: 0, rows: rows.count)
        for row in rows {
            Array((row + "\n").utf8).withUnsafeBytes { chunk.append($0) }
        }
        return chunk
    }

    /// A snapshot has no tombstones; an empty array would stand for a missing value.
    static func messages(_ batch: KafkaMessageBatch) -> [(topic: String, key: [UInt8], value: [UInt8])] {
        var messages: [(topic: String, key: [UInt8], value: [UInt8])] = []
        batch.forEachMessage { topic, key, value, _ in messages.append((topic, Array(key), value.map(Array.init) ?? [])) }
        return messages
    }

    /// The general path: fields decoded to `JSONValue`s, a `ChangeRecord`, `ChangeRecordCodec`.
    static func referenceMessages(_ chunk: PostgresCopyChunk, tsMs: Int64) throws -> [(key: [UInt8], value: [UInt8])] {
        var scratch: [UInt8] = []
        return try (0..<chunk.rowCount).map { index in
            var values = RecordShape.Values(repeating: .null, count: shape.columns.count)
            try chunk.withRow(index) { row in
                try CopyTextRow.forEachField(in: row, scratch: &scratch) { field, text in
                    values[field] = try PostgresTextValue.decode(text, as: shape.columns[field].type)
                }
            }
            let key = try #require(shape.key(values))
            let record = ChangeRecord(
                op: .read, tsMs: tsMs, source: source, key: key, before: nil, after: shape.object(values),
                types: shape.types)
            return (ChangeRecordCodec.encodeKey(key), ChangeRecordCodec.encodeValue(record))
        }
    }
}
