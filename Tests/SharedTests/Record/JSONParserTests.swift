import Testing

@testable import Shared

@Suite struct JSONParserTests {
    private func parseError(_ bytes: [UInt8]) -> JSONParseError? {
        do {
            _ = try JSONParser.parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesADocumentKeepingNumberTextAndFieldOrder() throws {
        let document =
            #" { "z" : [ 1.50 , -0 , 1e+100, 123456789012345678901234567890.123456789012345678901234567890 ] , "#
            + #""a":{"t":true,"f":false,"n":null,"s":"x"}, "e": {}, "l": [] } "#
        let expected: JSONValue = [
            "z": [
                .number("1.50"), .number("-0"), .number("1e+100"),
                .number("123456789012345678901234567890.123456789012345678901234567890"),
            ],
            "a": ["t": true, "f": false, "n": .null, "s": "x"],
            "e": .object([:]),
            "l": [],
        ]
        #expect(try JSONParser.parse(document) == expected)
    }

    @Test func parsesScalarDocuments() throws {
        #expect(try JSONParser.parse("null") == .null)
        #expect(try JSONParser.parse("\t\r\n 7 \n") == .number("7"))
        #expect(try JSONParser.parse(#""""#) == .string(""))
    }

    @Test func decodesEveryEscape() throws {
        let text = #""\"\\\/\b\f\n\r\t\u0000\u001F\u00e9\u20AC\ud83d\ude00x""#
        #expect(try JSONParser.parse(text) == .string("\"\\/\u{8}\u{C}\n\r\t\u{0}\u{1F}é€😀x"))
    }

    @Test func keepsRawUTF8IncludingAstralAndCombiningCharacters() throws {
        let value = "e\u{301}😀👩‍👩‍👧 日本 \u{10FFFF}"
        #expect(try JSONParser.parse("\"\(value)\"") == .string(value))
    }

    @Test func roundTripsEveryControlCharacterAndNastyStrings() throws {
        var strings = (UInt8(0)..<0x20).map { String(UnicodeScalar($0)) }
        strings += [#"""#, #"\"#, #"\""#, "", "NULL", "e\u{301}", "😀", "\u{7F}\u{80}\u{FFFF}", "a\u{0}b"]
        let value = JSONValue.array(strings.map(JSONValue.string))
        #expect(try JSONParser.parse(value.jsonBytes) == value)
    }

    @Test func acceptsNestingUpToTheLimit() throws {
        let depth = JSONParser.maximumDepth
        let document =
            Array(repeating: UInt8(ascii: "["), count: depth) + Array(repeating: UInt8(ascii: "]"), count: depth)
        _ = try JSONParser.parse(document)
    }

    @Test func rejectsNestingBeyondTheLimit() {
        let depth = JSONParser.maximumDepth + 1
        let document =
            Array(repeating: UInt8(ascii: "["), count: depth) + Array(repeating: UInt8(ascii: "]"), count: depth)
        #expect(parseError(document) == JSONParseError(offset: 512, reason: .tooDeeplyNested(limit: 512)))
    }

    @Test(arguments: [
        ("", 0, JSONParseError.Reason.unexpectedEndOfInput),
        ("   ", 3, .unexpectedEndOfInput),
        ("[1,]", 3, .unexpectedByte(UInt8(ascii: "]"))),
        ("[1 2]", 3, .unexpectedByte(UInt8(ascii: "2"))),
        ("[1", 2, .unexpectedEndOfInput),
        (#"{"a" 1}"#, 5, .unexpectedByte(UInt8(ascii: "1"))),
        (#"{"a":1,}"#, 7, .unexpectedByte(UInt8(ascii: "}"))),
        ("{a:1}", 1, .unexpectedByte(UInt8(ascii: "a"))),
        (#"{"a":}"#, 5, .unexpectedByte(UInt8(ascii: "}"))),
        ("[1] x", 4, .trailingData),
        ("{}{}", 2, .trailingData),
        (#""abc"#, 4, .unexpectedEndOfInput),
        ("\"a\u{1}\"", 2, .unescapedControlCharacter(1)),
        ("\"a\nb\"", 2, .unescapedControlCharacter(0x0A)),
        (#""\x""#, 1, .invalidEscape),
        (#""ok\"#, 4, .unexpectedEndOfInput),
        (#""\u12G4""#, 1, .invalidUnicodeEscape),
        (#""\u12""#, 1, .invalidUnicodeEscape),
        (#""\ud83d""#, 1, .unpairedSurrogate),
        (#""\ude00""#, 1, .unpairedSurrogate),
        (#""\ud83d\u0041""#, 1, .unpairedSurrogate),
        (#""x\ud83dx""#, 2, .unpairedSurrogate),
        ("01", 1, .invalidNumber),
        ("-", 1, .invalidNumber),
        ("-a", 1, .invalidNumber),
        ("1.e5", 2, .invalidNumber),
        ("1e", 2, .invalidNumber),
        ("+1", 0, .unexpectedByte(UInt8(ascii: "+"))),
        (".5", 0, .unexpectedByte(UInt8(ascii: "."))),
        ("NaN", 0, .unexpectedByte(UInt8(ascii: "N"))),
        ("tru", 3, .unexpectedEndOfInput),
        ("nul!", 3, .unexpectedByte(UInt8(ascii: "!"))),
        ("True", 0, .unexpectedByte(UInt8(ascii: "T"))),
        ("'a'", 0, .unexpectedByte(UInt8(ascii: "'"))),
    ])
    func reportsSyntaxErrorsWithOffsets(document: String, offset: Int, reason: JSONParseError.Reason) {
        #expect(parseError(Array(document.utf8)) == JSONParseError(offset: offset, reason: reason))
    }

    @Test(
        arguments: [
            ([0x22, 0x61, 0xC3, 0x28, 0x22], 2),  // bad continuation byte
            ([0x22, 0xC0, 0x80, 0x22], 1),  // overlong NUL
            ([0x22, 0xE0, 0x80, 0x80, 0x22], 1),  // overlong three-byte form
            ([0x22, 0xED, 0xA0, 0x80, 0x22], 1),  // UTF-16 surrogate encoded in UTF-8
            ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1),  // above U+10FFFF
            ([0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], 1),  // invalid lead byte
            ([0x22, 0x80, 0x22], 1),  // lone continuation byte
            ([0x22, 0x61, 0xE2, 0x82], 2),  // truncated at the end of input
            ([0x22, 0x5C, 0x6E, 0xFF, 0x22], 3),  // after an escape (slow path)
            ([0x22] + Array(repeating: 0x61, count: 16) + [0xC3, 0x28, 0x22], 17),  // after word-at-a-time skipping
        ] as [([UInt8], Int)])
    func rejectsInvalidUTF8InStrings(bytes: [UInt8], offset: Int) {
        #expect(parseError(bytes) == JSONParseError(offset: offset, reason: .invalidUTF8))
    }

    @Test func rejectsNonASCIIOutsideStrings() {
        #expect(parseError([0xEF, 0xBB, 0xBF, 0x31]) == JSONParseError(offset: 0, reason: .unexpectedByte(0xEF)))
    }

    @Test func describesErrors() {
        #expect(
            parseError(Array("[1,]".utf8))?.description == "JSON syntax error at byte 3: unexpected ']' (0x5D)")
        #expect(
            parseError([0x22, 0x01, 0x22])?.description
                == "JSON syntax error at byte 1: unescaped control character byte 0x01 in string")
        #expect(parseError([])?.description == "JSON syntax error at byte 0: unexpected end of input")
    }
}
