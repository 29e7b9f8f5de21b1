/// A growable byte buffer that the encoders write into before handing out one `[UInt8]`.
///
/// A record is built from about seventy small appends. On `[UInt8]` each of them is an out-of-line call with
/// a uniqueness check; here it is a bounds check and a copy, which makes record encoding about twice as fast.
package struct ByteSink: ~Copyable {
    private var start: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    package private(set) var count = 0

    package init(capacity: Int) {
        self.capacity = max(capacity, 16)
        self.start = .allocate(capacity: self.capacity)
    }

    deinit {
        start.deallocate()
    }

    package var bytes: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: start, count: count)
    }

    /// The bytes in `range`, which must lie within `count`; valid until the next append.
    package func bytes(in range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: start + range.lowerBound, count: range.count)
    }

    @inline(__always)
    package mutating func append(_ byte: UInt8) {
        if count == capacity { grow(toAtLeast: count + 1) }
        start[count] = byte
        count += 1
    }

    @inline(__always)
    package mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        if count + bytes.count > capacity { grow(toAtLeast: count + bytes.count) }
        (start + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    @inline(__always)
    package mutating func append(_ bytes: UnsafeRawBufferPointer) {
        append(bytes.assumingMemoryBound(to: UInt8.self))
    }

    @inline(__always)
    package mutating func append(_ literal: StaticString) {
        append(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Appends a copy of its own bytes in `range` (a key written once and needed twice). Not `append(bytes(in:))`:
    /// growing would free those bytes before they were copied.
    package mutating func appendCopy(of range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "copying bytes a ByteSink does not have")
        if count + range.count > capacity { grow(toAtLeast: count + range.count) }
        (start + count).initialize(from: start + range.lowerBound, count: range.count)
        count += range.count
    }

    /// Forgets the bytes after the first `newCount`, keeping the storage for reuse.
    package mutating func truncate(to newCount: Int) {
        precondition(newCount >= 0 && newCount <= count, "truncating a ByteSink beyond its bytes")
        count = newCount
    }

    private mutating func grow(toAtLeast minimumCapacity: Int) {
        let newCapacity = max(minimumCapacity, capacity * 2)
        let newStart = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newStart.initialize(from: start, count: count)
        start.deallocate()
        start = newStart
        capacity = newCapacity
    }
}
