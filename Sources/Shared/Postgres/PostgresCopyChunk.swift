/// A batch of rows from `COPY ... TO STDOUT`, as the server sent them, stored back to back in one buffer.
public struct PostgresCopyChunk: Sendable {
    public let format: PostgresCopyFormat
    /// The rows' bytes: text rows each ending in `\n`, binary tuples without the stream's header and trailer.
    public private(set) var bytes: [UInt8] = []
    /// `rowEnds[i]` is the end offset (exclusive) of row `i` in `bytes`.
    public private(set) var rowEnds: [Int] = []

    public var rowCount: Int { rowEnds.count }
    public var isEmpty: Bool { rowEnds.isEmpty }

    package init(format: PostgresCopyFormat, reservingBytes capacity: Int, rows: Int) {
        self.format = format
        bytes.reserveCapacity(capacity)
        rowEnds.reserveCapacity(rows)
    }

    package mutating func append(_ row: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: row)
        rowEnds.append(bytes.count)
    }

    /// Calls `body` with row `index`: a text row without its trailing newline, or a binary tuple.
    public func withRow<Result>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        let start = index == 0 ? 0 : rowEnds[index - 1]
        var end = rowEnds[index]
        if format == .text, end > start, bytes[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }
}
