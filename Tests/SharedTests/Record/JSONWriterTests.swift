import Testing

@testable import Shared

@Suite struct JSONWriterTests {
    private func text(_ value: JSONValue) -> String {
        String(decoding: value.jsonBytes, as: UTF8.self)
    }

    @Test func writesScalarsCompactly() {
        #expect(text(.null) == "null")
        #expect(text(true) == "true")
        #expect(text(false) == "false")
        #expect(text(.number("-0")) == "-0")
        #expect(text(.number("1.5e-07")) == "1.5e-07")
        #expect(text("") == #""""#)
        #expect(text([]) == "[]")
        #expect(text(.object([:])) == "{}")
        #expect(text([1, [2, [.null]], ["a": ["b": []]]]) == #"[1,[2,[null]],{"a":{"b":[]}}]"#)
    }

    @Test func keepsObjectFieldOrder() {
        let object: JSONObject = ["z": 1, "a": 2, "m": 3]
        #expect(text(.object(object)) == #"{"z":1,"a":2,"m":3}"#)
    }

    @Test func escapesEveryControlCharacter() {
        let shortForms: [UInt8: String] = [0x08: #"\b"#, 0x09: #"\t"#, 0x0A: #"\n"#, 0x0C: #"\f"#, 0x0D: #"\r"#]
        for byte in UInt8(0)..<0x20 {
            let expected = shortForms[byte] ?? #"\u00"# + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
            #expect(text(.string(String(UnicodeScalar(byte)))) == "\"" + expected + "\"", "byte \(byte)")
        }
        #expect(text("\u{1F}x\u{0}") == #""\u001fx\u0000""#)
    }

    @Test func escapesQuoteAndBackslashOnly() {
        #expect(text(#"a"b\c/d"#) == #""a\"b\\c/d""#)
        #expect(text("\u{7F}") == "\"\u{7F}\"")
    }

    @Test func writesUnicodeAsRawUTF8() {
        let value: JSONValue = "e\u{301} 😀 \u{2028} 日本"
        #expect(value.jsonBytes == Array("\"e\u{301} 😀 \u{2028} 日本\"".utf8))
    }

    @Test(arguments: [
        (Int64.min, "-9223372036854775808"), (Int64.max, "9223372036854775807"), (0, "0"), (-1, "-1"),
        (10, "10"), (1_732_460_000_123, "1732460000123"),
    ])
    func writesIntegers(value: Int64, expected: String) {
        var sink = ByteSink(capacity: 0)
        sink.writeInteger(value)
        #expect(String(decoding: sink.bytes, as: UTF8.self) == expected)
    }

    @Test func growsPastTheInitialCapacityWhenEscaping() {
        let text = String(repeating: "\u{1}é", count: 1000)
        var buffer: [UInt8] = []
        JSONWriter.appendString(text, to: &buffer)
        #expect(buffer.count == 2 + 1000 * (6 + 2))
        #expect(String(decoding: buffer, as: UTF8.self) == "\"" + String(repeating: #"\u0001é"#, count: 1000) + "\"")
    }

    @Test func appendsToExistingBuffer() {
        var buffer = Array("prefix:".utf8)
        JSONWriter.append(["k": "v"], to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #"prefix:{"k":"v"}"#)
    }
}

/// The writer and the parser skip ordinary text eight bytes at a time; these put a special byte at every
/// position of a longer string, so each lane of the word-at-a-time checks is exercised.
@Suite struct WordAtATimeScanTests {
    static let specials: [(raw: String, escaped: String)] = [
        ("\"", #"\""#), ("\\", #"\\"#), ("\u{0}", #"\u0000"#), ("\u{1F}", #"\u001f"#), ("\n", #"\n"#),
    ]

    @Test(arguments: 0..<20)
    func findsASpecialByteAtEveryPosition(position: Int) throws {
        let filler = Array("abcdefghijklmnopqrst")
        for special in Self.specials {
            var raw = filler.map(String.init)
            var escaped = raw
            raw[position] = special.raw
            escaped[position] = special.escaped
            let value = JSONValue.string(raw.joined())
            #expect(String(decoding: value.jsonBytes, as: UTF8.self) == "\"" + escaped.joined() + "\"")
            #expect(try JSONParser.parse(value.jsonBytes) == value)
        }
    }

    @Test func passesNonASCIIAndDELThroughLongStrings() throws {
        let text = "\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}ééééé😀😀 \u{FFFF}\u{10FFFF} !#$%&'()*+,-./~"
        let value = JSONValue.string(text)
        #expect(value.jsonBytes == Array(("\"" + text + "\"").utf8))
        #expect(try JSONParser.parse(value.jsonBytes) == value)
    }

    @Test(arguments: 0..<20)
    func rejectsARawControlCharacterAtEveryPosition(position: Int) {
        var bytes = Array("\"abcdefghijklmnopqrst\"".utf8)
        bytes[position + 1] = 0x09
        #expect(throws: JSONParseError(offset: position + 1, reason: .unescapedControlCharacter(0x09))) {
            try JSONParser.parse(bytes)
        }
    }
}
