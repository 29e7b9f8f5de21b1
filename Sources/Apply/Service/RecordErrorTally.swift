import Synchronization

/// Errors per table and class in this run, for the escalation counts (DMS counts them per table).
final class RecordErrorTally: Sendable {
    private let counts = Mutex([String: Int]())

    /// Counts one more error of `kind` in `table` and returns how many there were, this one included.
    func count(_ kind: RecordErrorBehavior.Kind, in table: String) -> Int {
        let key = (kind.isApply ? "apply\u{1F}" : "data\u{1F}") + table
        return counts.withLock { counts in
            let count = counts[key, default: 0] + 1
            counts[key] = count
            return count
        }
    }
}
