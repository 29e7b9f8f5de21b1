#if canImport(Glibc)
import Glibc
#endif

/// The fast path of decoding a record: reads one laid out exactly as Ferry writes it (`ChangeRecordCodec`'s field
/// order, no whitespace) by matching the fixed bytes between the values, where the general decoder builds a JSON tree
/// of the whole envelope and looks each field up in it. The row images (`key`, `before`, `after`) are parsed as
/// trees all the same, and a `types` map already met is taken from `ColumnTypesMemo` by comparing bytes.
///
/// Anything else — another layout or field order, whitespace, unknown fields, an unknown op, a value of another type,
/// invalid JSON — makes it return nil, and the general decoder reads the record (and says what is wrong with it).
/// What it returns is what the general decoder returns for the same bytes (`ChangeRecordDecoderTests`).
struct CanonicalRecordReader {
    private var cursor: JSONCursor

    /// Not the canonical layout, or not valid: the general decoder takes over.
    private struct Elsewhere: Error {}

    init(_ bytes: UnsafeRawBufferPointer) {
        cursor = JSONCursor(bytes: bytes)
    }

    mutating func read(reusing memo: inout ColumnTypesMemo) -> ChangeRecord? {
        try? readRecord(reusing: &memo)
    }

    private mutating func readRecord(reusing memo: inout ColumnTypesMemo) throws(Elsewhere) -> ChangeRecord {
        try expect(#"{"op":"#)
        guard let op = Operation(rawValue: try string()) else { throw Elsewhere() }
        try expect(#","ts_ms":"#)
        let tsMs = try int64()
        try expect(#","source":{"connector":"#)
        let connector = try string()
        try expect(#","version":"#)
        let version = try string()
        try expect(#","name":"#)
        let name = try string()
        try expect(#","db":"#)
        let db = try string()
        try expect(#","schema":"#)
        let schema = try string()
        try expect(#","table":"#)
        let table = try string()
        try expect(#","snapshot":"#)
        let snapshot = try bool()
        let generation = consume(#","generation":"#) ? try int64() : 0
        try expect(#","txId":"#)
        let txId = consume("null") ? nil : try int64()
        try expect(#","lsn":"#)
        let lsn = try lsnValue()
        try expect(#","commit_lsn":"#)
        let commitLSN = try lsnValue()
        try expect(#","seq":"#)
        let seq = try int64()
        try expect(#","ts_ms":"#)
        let sourceTsMs = try int64()
        try expect(#"},"key":"#)
        let key = try optionalObject()
        try expect(#","before":"#)
        let before = try optionalObject()
        try expect(#","after":"#)
        let after = try optionalObject()
        try expect(#","types":"#)
        let types = try columnTypes(reusing: &memo)
        try expect(#","unchanged":"#)
        let unchanged = try strings()
        try expect("}")
        guard cursor.index == cursor.bytes.count else { throw Elsewhere() }
        return ChangeRecord(
            op: op, tsMs: tsMs,
            source: SourceInfo(
                connector: connector, version: version, name: name, db: db, schema: schema, table: table,
                snapshot: snapshot, txId: txId, lsn: lsn, commitLSN: commitLSN, seq: seq, tsMs: sourceTsMs,
                generation: generation),
            key: key, before: before, after: after, types: types, unchanged: unchanged)
    }

    // MARK: Values

    private mutating func string() throws(Elsewhere) -> String {
        guard next == UInt8(ascii: "\"") else { throw Elsewhere() }
        do { return try cursor.parseString() } catch { throw Elsewhere() }
    }

    private mutating func bool() throws(Elsewhere) -> Bool {
        if consume("true") { return true }
        if consume("false") { return false }
        throw Elsewhere()
    }

    private mutating func lsnValue() throws(Elsewhere) -> LSN {
        guard let lsn = LSN(try string()) else { throw Elsewhere() }
        return lsn
    }

    /// A JSON number that is an integer in Int64's range, written as digits with an optional minus: the numbers
    /// `Int64(text)` accepts (the general decoder's test).
    private mutating func int64() throws(Elsewhere) -> Int64 {
        let bytes = cursor.bytes
        let start = cursor.index
        guard case .end(let end) = JSONNumberSyntax.scan(bytes, from: start),
            end == bytes.count || !ASCII.isDigit(bytes[end])
        else { throw Elsewhere() }
        let negative = bytes[start] == UInt8(ascii: "-")
        var value: Int64 = 0  // accumulated negatively, so that Int64.min fits
        for index in (negative ? start + 1 : start)..<end {
            guard ASCII.isDigit(bytes[index]) else { throw Elsewhere() }
            let (shifted, overflowedShift) = value.multipliedReportingOverflow(by: 10)
            let (added, overflowedAdd) = shifted.subtractingReportingOverflow(Int64(bytes[index] - UInt8(ascii: "0")))
            guard !overflowedShift, !overflowedAdd else { throw Elsewhere() }
            value = added
        }
        if !negative {
            guard value != .min else { throw Elsewhere() }
            value = -value
        }
        cursor.index = end
        return value
    }

    private mutating func optionalObject() throws(Elsewhere) -> JSONObject? {
        if consume("null") { return nil }
        guard next == UInt8(ascii: "{") else { throw Elsewhere() }
        // Depth 1, as the general decoder's parse reaches a field of the envelope.
        guard case .object(let object)? = try? cursor.parseValue(depth: 1) else { throw Elsewhere() }
        return object
    }

    private mutating func columnTypes(reusing memo: inout ColumnTypesMemo) throws(Elsewhere) -> [ColumnType] {
        let start = cursor.index
        if let known = memo.types(in: cursor.bytes, at: start) {
            cursor.index += known.length
            return known.types
        }
        guard let map = try optionalObject(),
            let types = try? FieldReader.columnTypes(map, path: "types", part: .value)
        else { throw Elsewhere() }
        memo.remember(UnsafeRawBufferPointer(rebasing: cursor.bytes[start..<cursor.index]), as: types)
        return types
    }

    private mutating func strings() throws(Elsewhere) -> [String] {
        if consume("[]") { return [] }
        guard next == UInt8(ascii: "["), case .array(let elements)? = try? cursor.parseValue(depth: 1),
            let strings = try? FieldReader.strings(elements, path: "unchanged", part: .value)
        else { throw Elsewhere() }
        return strings
    }

    // MARK: Fixed bytes

    private var next: UInt8? {
        cursor.index < cursor.bytes.count ? cursor.bytes[cursor.index] : nil
    }

    private mutating func expect(_ literal: StaticString) throws(Elsewhere) {
        guard consume(literal) else { throw Elsewhere() }
    }

    /// Consumes `literal` if the input continues with exactly its bytes.
    private mutating func consume(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard cursor.bytes.count - cursor.index >= count, let base = cursor.bytes.baseAddress,
            memcmp(base + cursor.index, literal.utf8Start, count) == 0
        else { return false }
        cursor.index += count
        return true
    }
}
