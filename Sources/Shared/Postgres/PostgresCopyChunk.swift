/// A batch of rows from `COPY ... TO STDOUT`, still in COPY's text format, stored back to back in one buffer.
public struct PostgresCopyChunk: Sendable {
    /// The rows' bytes, each ending in `\n` as the server sent it.
    public private(set) var bytes: [UInt8] = []
    /// `rowEnds[i]` is the end offset (exclusive) of row `i` in `bytes`.
    public private(set) var rowEnds: [Int] = []

    public var rowCount: Int { rowEnds.count }
    public var isEmpty: Bool { rowEnds.isEmpty }

    package init(reservingBytes capacity: Int, rows: Int) {
        bytes.reserveCapacity(capacity)
        rowEnds.reserveCapacity(rows)
    }

    package mutating func append(_ row: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: row)
        rowEnds.append(bytes.count)
    }

    /// Calls `body` with row `index` without its trailing newline.
    public func withRow<Result>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        let start = index == 0 ? 0 : rowEnds[index - 1]
        var end = rowEnds[index]
        if end > start, bytes[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }
}
