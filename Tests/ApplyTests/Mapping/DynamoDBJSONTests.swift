import Shared
import Testing

@testable import Apply

@Suite("DynamoDB JSON")
struct DynamoDBJSONTests {
    static let everyType: DynamoDBItem = [
        "s": .s("Zoë \"quoted\""), "n": .n("123456789012345678901234567890.12"), "b": .b([0, 1, 2, 0xFF]),
        "t": .bool(true), "f": .bool(false), "z": .null,
        "m": .m(["inner": .l([.n("1"), .s("x"), .null]), "empty": .m([:])]),
        "l": .l([]), "ss": .ss(["a", "b"]), "ns": .ns(["1", "2.5"]), "bs": .bs([[1], [2, 3]]),
    ]

    @Test func encodesEveryTypeInNameOrder() {
        let text = String(decoding: Self.everyType.dynamoDBJSON.jsonBytes, as: UTF8.self)
        #expect(
            text
                == #"{"b":{"B":"AAEC/w=="},"bs":{"BS":["AQ==","AgM="]},"f":{"BOOL":false},"l":{"L":[]},"#
                + #""m":{"M":{"empty":{"M":{}},"inner":{"L":[{"N":"1"},{"S":"x"},{"NULL":true}]}}},"#
                + #""n":{"N":"123456789012345678901234567890.12"},"ns":{"NS":["1","2.5"]},"#
                + #""s":{"S":"Zoë \"quoted\""},"ss":{"SS":["a","b"]},"t":{"BOOL":true},"z":{"NULL":true}}"#)
    }

    /// The byte writer (bulk request bodies) and the `JSONValue` rendering (every other request) must agree.
    @Test func theByteWriterWritesWhatTheTreeRenders() {
        let items: [DynamoDBItem] = [
            Self.everyType, [:], ["control\u{1}\n\t": .s("\u{7f}\\/"), "emoji": .s("🚢"), "deep": .m(["m": .m(["l": .l([.m([:])])])])],
        ]
        for item in items {
            var sink = ByteSink(capacity: 16)
            sink.writeDynamoDBJSON(item)
            #expect(Array(sink.bytes) == item.dynamoDBJSON.jsonBytes)
        }
    }

    @Test func batchWriteBodiesListEachTablesRequestsInOrder() {
        let body = DynamoDBClient.batchWriteBody([
            (key: "A", value: [.put(item: ["id": .n("1"), "v": .s("x")]), .delete(key: ["id": .n("2")])]),
            (key: "B\"q", value: [.put(item: ["k": .s("y")])]),
        ])
        #expect(
            String(decoding: body, as: UTF8.self)
                == #"{"RequestItems":{"A":[{"PutRequest":{"Item":{"id":{"N":"1"},"v":{"S":"x"}}}},"#
                + #"{"DeleteRequest":{"Key":{"id":{"N":"2"}}}}],"B\"q":[{"PutRequest":{"Item":{"k":{"S":"y"}}}}]}}"#)
    }

    @Test func roundTripsThroughJSONText() throws {
        let text = Self.everyType.dynamoDBJSON.jsonBytes
        let decoded = try DynamoDBItem(dynamoDBJSON: JSONParser.parse(text))
        #expect(decoded == Self.everyType)
    }

    @Test func decodesAGetItemAnswer() throws {
        let answer = try JSONParser.parse(
            #"{"PaymentId": {"N": "42"}, "PaymentAmount": {"N": "12.3"}, "Note": {"S": ""}, "Raw": {"B": "3q2+7w=="}}"#)
        #expect(
            try DynamoDBItem(dynamoDBJSON: answer)
                == [
                    "PaymentId": .n("42"), "PaymentAmount": .n("12.3"), "Note": .s(""),
                    "Raw": .b([0xDE, 0xAD, 0xBE, 0xEF]),
                ])
    }

    @Test(arguments: [
        (#"{"a": {"S": 1}}"#, "invalid DynamoDB JSON at a: S: value of the wrong JSON type"),
        (#"{"a": {"X": "1"}}"#, "invalid DynamoDB JSON at a: X: unknown type descriptor"),
        (
            #"{"a": {"S": "1", "N": "1"}}"#,
            "invalid DynamoDB JSON at a: expected an object with exactly one type descriptor"
        ),
        (#"{"a": {"N": "12a"}}"#, "invalid DynamoDB JSON at a: N: '12a' is not a number"),
        (#"{"a": {"B": "AQ="}}"#, "invalid DynamoDB JSON at a: B: not base64"),
        (#"{"a": {"NULL": false}}"#, "invalid DynamoDB JSON at a: NULL: value of the wrong JSON type"),
        (#"{"a": {"NS": ["1", "x"]}}"#, "invalid DynamoDB JSON at a: NS: expected an array of number strings"),
        (
            #"{"a": {"M": {"b": {"L": [{"S": "ok"}, {"BOOL": "yes"}]}}}}"#,
            "invalid DynamoDB JSON at a.b[1]: BOOL: value of the wrong JSON type"
        ),
        (#"["not", "an", "item"]"#, "invalid DynamoDB JSON: expected an object of attributes"),
    ])
    func refusesMalformedValuesSayingWhere(json: String, message: String) throws {
        let parsed = try JSONParser.parse(json)
        do throws(DynamoDBJSONError) {
            _ = try DynamoDBItem(dynamoDBJSON: parsed)
            Issue.record("decoded \(json)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func base64RoundTripsEveryPaddingLength() {
        for length in 0..<10 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 200) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64.decode("Zm9vYg==") == Array("foob".utf8))
        #expect(Base64.decode("Zm9v YmFy") == nil)
        #expect(Base64.decode("Zm=vYmFy") == nil)
    }
}

@Suite("DynamoDB numbers")
struct DynamoDBNumberTests {
    @Test(arguments: [
        ("0", true), ("-0.0", true), ("1e-130", true), ("1e-131", false), ("9.9e125", true), ("1e126", false),
        ("-1E+125", true), ("12345678901234567890123456789012345678", true),
        ("123456789012345678901234567890123456789", false), ("1234567890123456789012345678901234567800000", true),
        ("1e99999999999999999999", false),
    ])
    func range(text: String, fits: Bool) {
        #expect(DynamoDBNumber(text)?.fitsDynamoDB == fits)
    }

    @Test(arguments: ["", "-", "1.", ".5", "1e", "1e+", "0x10", "1 ", "NaN", "--1"])
    func notANumber(text: String) {
        #expect(DynamoDBNumber(text) == nil)
    }
}

@Suite("Item size")
struct ItemSizeTests {
    @Test(arguments: [
        (DynamoDBAttributeValue.s("Zoë"), 4),  // UTF-8 bytes
        (.n("1"), 2),  // one significant digit: 1 + 1
        (.n("12.30"), 3),  // 123: 2 + 1
        (.n("0.000100"), 2),  // 1: 1 + 1
        (.n("-1234567890"), 6),  // 123456789: 5 + 1
        (.n("0"), 1),
        (.n("123456789012345678901234567890.12"), 17),  // 32 digits: 16 + 1
        (.b([1, 2, 3]), 3),
        (.bool(true), 1),
        (.null, 1),
        (.m([:]), 3),
        (.l([]), 3),
        (.m(["a": .s("xy"), "b": .n("5")]), 11),  // 3 + (1 + 1 + 2) + (1 + 1 + 2)
        (.l([.s("a"), .bool(false)]), 7),  // 3 + (1 + 1) + (1 + 1)
        (.ss(["a", "bc"]), 3),
        (.ns(["1", "22"]), 4),
        (.bs([[1], [2, 3]]), 3),
    ])
    func valueSize(value: DynamoDBAttributeValue, size: Int) {
        #expect(value.approximateSize == size)
    }

    @Test func itemSizeCountsNames() {
        let item: DynamoDBItem = ["pk": .s("user#1"), "tags": .l([.s("a"), .s("bc")]), "m": .m([:])]
        // pk: 2 + 6; tags: 4 + 3 + (1 + 1) + (1 + 2); m: 1 + 3
        #expect(item.approximateDynamoDBSize == 24)
    }

    @Test func theLimitIs400KB() {
        let fits: DynamoDBItem = ["p": .s(String(repeating: "x", count: 409_599))]
        let tooBig: DynamoDBItem = ["p": .s(String(repeating: "x", count: 409_600))]
        #expect(fits.approximateDynamoDBSize <= DynamoDBAttributeValue.maximumItemSize)
        #expect(tooBig.approximateDynamoDBSize > DynamoDBAttributeValue.maximumItemSize)
    }
}
