/// Splits the tuples of `COPY ... TO STDOUT (FORMAT binary)` into fields (PostgreSQL docs, COPY "Binary Format"):
/// a 16-bit field count, then for each field a 32-bit length (-1 for NULL) and that many bytes, all big-endian.
/// The stream starts with a header and ends with a trailer, which `PostgresConnection.copyOut` removes.
public enum CopyBinaryRow {
    /// `PGCOPY\n\377\r\n\0`, the start of every binary COPY stream.
    private static let signature: [UInt8] = [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00]

    /// The length of the stream header that starts `bytes`: signature, flags, header extension.
    static func headerLength(in bytes: UnsafeRawBufferPointer) throws(MalformedCopyRow) -> Int {
        guard bytes.count >= 19, bytes.starts(with: signature) else {
            throw MalformedCopyRow(reason: "the binary COPY stream does not start with PGCOPY's 19-byte header")
        }
        // Bits 0-15 flag incompatible format changes; bit 16, OIDs in the tuples (never asked for here).
        let flags = bytes.bigEndianUInt32(at: 11)
        guard flags & 0x0001_FFFF == 0 else {
            throw MalformedCopyRow(reason: "the binary COPY header has unsupported flags 0x\(String(flags, radix: 16))")
        }
        let extensionLength = Int(bytes.bigEndianUInt32(at: 15))
        guard 19 + extensionLength <= bytes.count else {
            throw MalformedCopyRow(reason: "the binary COPY header's extension (\(extensionLength) bytes) is cut short")
        }
        return 19 + extensionLength
    }

    /// True for the stream's trailer, a field count of -1.
    static func isTrailer(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count == 2 && bytes[0] == 0xFF && bytes[1] == 0xFF
    }

    /// Calls `body(index, field)` for each field of one tuple; `field` is nil for NULL.
    public static func forEachField(
        in row: UnsafeRawBufferPointer, _ body: (Int, UnsafeRawBufferPointer?) throws -> Void
    ) throws {
        guard row.count >= 2 else { throw MalformedCopyRow(reason: "a \(row.count)-byte tuple has no field count") }
        let fieldCount = Int(Int16(bitPattern: row.bigEndianUInt16(at: 0)))
        guard fieldCount >= 0 else { throw MalformedCopyRow(reason: "a tuple with field count \(fieldCount)") }
        var position = 2
        for index in 0..<fieldCount {
            guard position + 4 <= row.count else {
                throw MalformedCopyRow(
                    reason: "the \(row.count)-byte tuple ends before the length of field \(index + 1) of \(fieldCount)")
            }
            let length = Int(Int32(bitPattern: row.bigEndianUInt32(at: position)))
            position += 4
            if length == -1 {
                try body(index, nil)
                continue
            }
            guard length >= 0, position + length <= row.count else {
                throw MalformedCopyRow(
                    reason: "field \(index + 1) of \(fieldCount) claims \(length) bytes at byte \(position) of a "
                        + "\(row.count)-byte tuple")
            }
            try body(index, UnsafeRawBufferPointer(rebasing: row[position..<position + length]))
            position += length
        }
        guard position == row.count else {
            throw MalformedCopyRow(reason: "\(row.count - position) bytes follow the last of \(fieldCount) fields")
        }
    }
}

extension UnsafeRawBufferPointer {
    /// The big-endian integer at `offset`; the caller has checked that its bytes are there.
    package func bigEndianUInt16(at offset: Int) -> UInt16 {
        UInt16(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    package func bigEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    package func bigEndianUInt64(at offset: Int) -> UInt64 {
        UInt64(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}
