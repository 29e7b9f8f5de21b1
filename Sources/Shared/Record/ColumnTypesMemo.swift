#if canImport(Glibc)
import Glibc
#endif

/// The last few `types` maps a decoder read, with their exact bytes: every record of a table repeats its map byte
/// for byte until the table's schema changes, so comparing bytes replaces parsing it. A few, for batches that
/// interleave tables.
struct ColumnTypesMemo: Sendable {
    private var entries: [(bytes: [UInt8], types: [ColumnType])] = []
    private var nextReplaced = 0
    static let capacity = 8

    /// The types of a remembered map that `input` holds from `offset`, and its length in bytes.
    func types(in input: UnsafeRawBufferPointer, at offset: Int) -> (types: [ColumnType], length: Int)? {
        guard let base = input.baseAddress else { return nil }
        for entry in entries where input.count - offset >= entry.bytes.count {
            let same = entry.bytes.withUnsafeBytes { remembered in
                remembered.baseAddress.map { memcmp($0, base + offset, remembered.count) == 0 } ?? false
            }
            if same { return (entry.types, entry.bytes.count) }
        }
        return nil
    }

    /// Remembers the map `bytes` (a complete, valid JSON object) as `types`, in place of the oldest when full.
    mutating func remember(_ bytes: UnsafeRawBufferPointer, as types: [ColumnType]) {
        let entry = (Array(bytes), types)
        if entries.count < Self.capacity {
            entries.append(entry)
        } else {
            entries[nextReplaced] = entry
            nextReplaced = (nextReplaced + 1) % Self.capacity
        }
    }
}
