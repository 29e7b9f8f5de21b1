import Shared

/// Writes a table's row images as JSON straight from PostgreSQL's text output — `"name":value` fields and the key
/// object — byte for byte what `ChangeRecordCodec` writes for the same values decoded to `JSONValue`s, without a
/// `JSONValue` or array per row. Shared by the snapshot (COPY rows) and the stream (pgoutput tuples).
struct RowImageEncoder: Sendable {
    let columnTypes: [PostgresColumnType]
    /// Each column's binary form, if `PostgresBinaryValue` converts it.
    let binaryKinds: [PostgresBinaryValue.Kind?]
    let keyCount: Int
    /// For each column, its position in the key, or -1.
    private let keyPositions: [Int]
    /// Indexes of the key columns, in key order.
    private let keyIndexes: [Int]
    /// `"name":` of every column, back to back in one array so the row loop reads them without retains.
    private let names: [UInt8]
    private let nameRanges: [Range<Int>]

    init(shape: RecordShape) {
        columnTypes = shape.columns.map(\.type)
        binaryKinds = columnTypes.map(PostgresBinaryValue.Kind.init)
        keyIndexes = shape.keyIndexes
        keyCount = shape.keyIndexes.count
        var keyPositions = [Int](repeating: -1, count: shape.columns.count)
        for (position, column) in shape.keyIndexes.enumerated() { keyPositions[column] = position }
        self.keyPositions = keyPositions
        var sink = ByteSink(capacity: 256)
        nameRanges = shape.columns.map { column in
            let start = sink.count
            sink.writeJSONString(column.name)
            sink.append(UInt8(ascii: ":"))
            return start..<sink.count
        }
        names = Array(sink.bytes)
    }

    var columnCount: Int { columnTypes.count }

    /// Empties `row` for the next image.
    func begin(_ row: inout RowImage) {
        row.fields.truncate(to: 0)
        row.unsent.removeAll(keepingCapacity: true)
        if row.keyValues.count != keyCount { row.keyValues = Array(repeating: RowImage.notSent, count: keyCount) }
        for position in 0..<keyCount { row.keyValues[position] = RowImage.notSent }
    }

    /// Writes column `index` (its text output, or its binary form, nil for NULL) as the image's next field.
    func write(
        _ index: Int, _ value: UnsafeRawBufferPointer?, format: PostgresCopyFormat = .text, to row: inout RowImage
    ) throws(PostgresValueError) {
        if row.fields.count > 0 { row.fields.append(UInt8(ascii: ",")) }
        appendName(index, to: &row.fields)
        let valueStart = row.fields.count
        switch format {
        case .text: try PostgresTextValue.writeJSON(value, as: columnTypes[index], to: &row.fields)
        case .binary:
            try PostgresBinaryValue.writeJSON(value, as: binaryKinds[index], type: columnTypes[index], to: &row.fields)
        }
        let keyPosition = keyPositions[index]
        if keyPosition >= 0 { row.keyValues[keyPosition] = valueStart..<row.fields.count }
    }

    /// Column `index` was not sent (an unchanged TOAST value): no field, and listed in `unsent`.
    func skip(_ index: Int, in row: inout RowImage) {
        row.unsent.append(index)
    }

    /// Writes the image's key object (`{"id":1}`); false, and nothing written, if a key column was not sent.
    func writeKey(of row: borrowing RowImage, to sink: inout ByteSink) -> Bool {
        for range in row.keyValues where range == RowImage.notSent { return false }
        sink.append(UInt8(ascii: "{"))
        for position in 0..<keyCount {
            if position > 0 { sink.append(UInt8(ascii: ",")) }
            appendName(keyIndexes[position], to: &sink)
            sink.append(row.fields.bytes(in: row.keyValues[position]))
        }
        sink.append(UInt8(ascii: "}"))
        return true
    }

    /// Writes the names of `columns` as JSON strings separated by commas (`"a","b"`).
    func writeNames(of columns: [Int], to sink: inout ByteSink) {
        for (number, index) in columns.enumerated() {
            if number > 0 { sink.append(UInt8(ascii: ",")) }
            let range = nameRanges[index]
            names.withUnsafeBufferPointer { sink.append(UnsafeBufferPointer(rebasing: $0[range.dropLast()])) }
        }
    }

    private func appendName(_ index: Int, to sink: inout ByteSink) {
        let range = nameRanges[index]
        names.withUnsafeBufferPointer { sink.append(UnsafeBufferPointer(rebasing: $0[range])) }
    }
}

/// Scratch for one row image, reused from row to row.
struct RowImage: ~Copyable {
    static let notSent = -1 ..< -1
    /// The image's fields, without the braces.
    var fields = ByteSink(capacity: 1024)
    /// Where each key column's value lies in `fields`, in key order; `notSent` until written.
    var keyValues: [Range<Int>] = []
    /// Columns PostgreSQL did not send (unchanged TOAST), in column order.
    var unsent: [Int] = []

    /// Writes an image's `fields` as a JSON object, or `null` for no image.
    static func writeObject(_ fields: UnsafeBufferPointer<UInt8>?, to sink: inout ByteSink) {
        guard let fields else { return sink.append("null") }
        sink.append(UInt8(ascii: "{"))
        sink.append(fields)
        sink.append(UInt8(ascii: "}"))
    }
}
