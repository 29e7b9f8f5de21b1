import Testing

@testable import Shared

@Suite("COPY text rows: fields, NULLs and backslash escapes")
struct CopyTextRowTests {
    @Test func splitsFieldsAndUndoesEscapes() throws {
        let row = ["42", #"\N"#, #"tab\there\\back\101\x41\nend"#, "", "ünï", "last field, longer than a word"]
            .joined(separator: "\t")
        let expected: [String?] = ["42", nil, "tab\there\\backAA\nend", "", "ünï", "last field, longer than a word"]
        #expect(try fields(of: row) == expected.map { $0.map { Array($0.utf8) } })
    }

    @Test func aRowEndingInALoneBackslashIsMalformed() {
        #expect(throws: MalformedCopyRow.self) { try fields(of: #"abc\"#) }
    }

    /// Separators and escapes at every offset around the eight-byte steps of the scanner, against a byte-by-byte split.
    @Test func findsSeparatorsAndEscapesAtEveryOffset() throws {
        let pieces = ["a", "bcdefgh", "", #"\\"#, #"\t"#, "é", "0123456789abcdef", #"\N"#, #"x\\y"#]
        // A fixed linear congruential sequence: the same rows on every run.
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        for _ in 0..<2000 {
            let row = (0...next(6)).map { _ in (0..<next(4)).map { _ in pieces[next(pieces.count)] }.joined() }
                .joined(separator: "\t")
            #expect(try fields(of: row) == Self.referenceFields(of: row), "\(row)")
        }
    }

    private func fields(of row: String) throws -> [[UInt8]?] {
        var scratch: [UInt8] = []
        var fields: [[UInt8]?] = []
        try Array(row.utf8).withUnsafeBytes { bytes in
            try CopyTextRow.forEachField(in: bytes, scratch: &scratch) { index, field in
                #expect(index == fields.count)
                fields.append(field.map { Array($0) })
            }
        }
        return fields
    }

    /// The format, read one byte at a time: tab-separated, `\N` alone is NULL, `\` escapes the next byte
    /// (only the escapes the pieces above use).
    private static func referenceFields(of row: String) -> [[UInt8]?] {
        var fields: [[UInt8]?] = []
        for raw in splitOnUnescapedTabs(Array(row.utf8)) {
            if raw == Array(#"\N"#.utf8) {
                fields.append(nil)
                continue
            }
            var field: [UInt8] = []
            var index = 0
            while index < raw.count {
                if raw[index] == UInt8(ascii: "\\") {
                    index += 1
                    field.append(raw[index] == UInt8(ascii: "t") ? 0x09 : raw[index])
                } else {
                    field.append(raw[index])
                }
                index += 1
            }
            fields.append(field)
        }
        return fields
    }

    private static func splitOnUnescapedTabs(_ bytes: [UInt8]) -> [[UInt8]] {
        var fields: [[UInt8]] = [[]]
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x09 {
                fields.append([])
            } else {
                fields[fields.count - 1].append(bytes[index])
                if bytes[index] == UInt8(ascii: "\\") {
                    index += 1
                    fields[fields.count - 1].append(bytes[index])
                }
            }
            index += 1
        }
        return fields
    }
}
