/// The keys changed between a chunk's low and high watermarks, per open window (docs/design.md, "Incremental
/// snapshots"): the stream tells it every change and truncate it writes; at the high mark the window's keys are the
/// chunk rows not to emit. Pure.
///
/// Bounded: a window keeps at most `keyLimit` keys. A window in which more keys of its table changed (a huge
/// transaction, a bulk load) is abandoned instead, and the chunk is read again in a new window — so memory never
/// grows with a transaction's size. A truncate of the table in the window abandons it too: the chunk may have read
/// rows the truncate removed.
struct SnapshotWindows: Sendable {
    enum Outcome: Sendable, Equatable {
        /// The keys (as the records write them) changed in the window.
        case changed(Set<[UInt8]>)
        /// The window cannot say which rows are safe to emit; the chunk is to be read again.
        case abandoned(reason: String)
    }

    private struct Window: Sendable {
        var table: String
        var keys: Set<[UInt8]> = []
        var abandoned: String?
    }

    let keyLimit: Int
    private var windows: [UInt64: Window] = [:]

    init(keyLimit: Int) {
        self.keyLimit = keyLimit
    }

    var isEmpty: Bool { windows.isEmpty }

    /// The low watermark of `chunk`, a chunk of `table` (`schema.table`).
    mutating func open(_ chunk: UInt64, table: String) {
        windows[chunk] = Window(table: table)
    }

    /// A change of `table`'s row `key` was streamed.
    mutating func changed(table: String, key: UnsafeBufferPointer<UInt8>) {
        guard !windows.isEmpty else { return }
        // Mutated in place through the subscript: a copy of a window would copy its key set on every insert.
        for chunk in Array(windows.keys) {
            guard windows[chunk]?.table == table, windows[chunk]?.abandoned == nil else { continue }
            if windows[chunk]?.keys.count ?? 0 >= keyLimit {
                windows[chunk]?.keys = []
                windows[chunk]?.abandoned = "more than \(keyLimit) keys of \(table) changed while the chunk was read"
            } else {
                windows[chunk]?.keys.insert(Array(key))
            }
        }
    }

    /// `table` was truncated.
    mutating func truncated(table: String) {
        for (chunk, window) in windows where window.table == table {
            windows[chunk]?.keys = []
            windows[chunk]?.abandoned = window.abandoned ?? "\(table) was truncated while the chunk was read"
        }
    }

    /// The high watermark of `chunk`: its outcome, or nil when no window of that chunk is open.
    mutating func close(_ chunk: UInt64) -> Outcome? {
        guard let window = windows.removeValue(forKey: chunk) else { return nil }
        return window.abandoned.map { .abandoned(reason: $0) } ?? .changed(window.keys)
    }
}
