import Testing

@testable import Shared

@Suite("COPY binary tuples: header, fields, NULLs and malformed tuples")
struct CopyBinaryRowTests {
    @Test func splitsFieldsAndNulls() throws {
        let tuple = Self.tuple([[0, 0, 0, 42], nil, [], Array("ünï".utf8)])
        #expect(try Self.fields(of: tuple) == [[0, 0, 0, 42], nil, [], Array("ünï".utf8)])
        #expect(try Self.fields(of: [0, 0]) == [])
    }

    @Test(arguments: [
        ([0xFF, 0xFE] as [UInt8], "field count -2"),
        ([0], "no field count"),
        ([0, 1, 0, 0], "ends before the length of field 1 of 1"),
        ([0, 1, 0, 0, 0, 5, 1, 2], "field 1 of 1 claims 5 bytes at byte 6 of a 8-byte tuple"),
        ([0, 1, 0xFF, 0xFF, 0xFF, 0xFE], "field 1 of 1 claims -2 bytes"),
        ([0, 1, 0, 0, 0, 1, 7, 9, 9], "2 bytes follow the last of 1 fields"),
    ])
    func malformedTuplesSayWhatIsWrong(tuple: [UInt8], reason: String) {
        let error = #expect(throws: MalformedCopyRow.self) { try Self.fields(of: tuple) }
        #expect(error?.reason.contains(reason) == true, "\(error?.reason ?? "")")
    }

    @Test func theHeaderIsSkippedWithItsExtension() throws {
        let signature: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]
        let plain: [UInt8] = signature + [0, 0, 0, 0, 0, 0, 0, 0]
        #expect(try plain.withUnsafeBytes { try CopyBinaryRow.headerLength(in: $0) } == 19)
        // Bits 17-31 of the flags may be ignored; the extension is skipped.
        let extended: [UInt8] = signature + [0, 2, 0, 0, 0, 0, 0, 3, 1, 2, 3, 0, 0]
        #expect(try extended.withUnsafeBytes { try CopyBinaryRow.headerLength(in: $0) } == 22)
        var wrongSignature = plain
        wrongSignature[5] = UInt8(ascii: "X")
        let withOIDs: [UInt8] = signature + [0, 1, 0, 0, 0, 0, 0, 0]
        let cutShort: [UInt8] = signature + [0, 0, 0, 0, 0, 0, 0, 9]
        let cases: [([UInt8], String)] = [
            (wrongSignature, "does not start with PGCOPY's"), (withOIDs, "unsupported flags 0x10000"),
            (cutShort, "extension (9 bytes) is cut short"),
        ]
        for (bytes, reason) in cases {
            let error = #expect(throws: MalformedCopyRow.self) {
                try bytes.withUnsafeBytes { try CopyBinaryRow.headerLength(in: $0) }
            }
            #expect(error?.reason.contains(reason) == true, "\(error?.reason ?? "")")
        }
        #expect(([0xFF, 0xFF] as [UInt8]).withUnsafeBytes { CopyBinaryRow.isTrailer($0) })
        #expect(!([0xFF, 0xFE] as [UInt8]).withUnsafeBytes { CopyBinaryRow.isTrailer($0) })
    }

    /// A tuple as `COPY ... (FORMAT binary)` sends it.
    static func tuple(_ fields: [[UInt8]?]) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(fields.count >> 8), UInt8(fields.count & 0xFF)]
        for field in fields {
            let length = UInt32(bitPattern: Int32(field?.count ?? -1))
            bytes += [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
            bytes += field ?? []
        }
        return bytes
    }

    static func fields(of tuple: [UInt8]) throws -> [[UInt8]?] {
        var fields: [[UInt8]?] = []
        try tuple.withUnsafeBytes { bytes in
            try CopyBinaryRow.forEachField(in: bytes) { index, field in
                #expect(index == fields.count)
                fields.append(field.map(Array.init))
            }
        }
        return fields
    }
}
