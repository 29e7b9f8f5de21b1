/// Answers remembered for one batch, for questions messages ask in runs (one topic, one table at a time): the last
/// answer is checked by equality before the dictionary hashes the key (hashing names per record showed in profiles).
struct RunMemo<Key: Hashable, Value> {
    private var last: (key: Key, value: Value)?
    private var known: [Key: Value] = [:]

    /// The answer for `key`, from `compute` the first time it is asked.
    mutating func value(for key: Key, compute: (Key) async throws -> Value) async rethrows -> Value {
        if let last, last.key == key { return last.value }
        let value: Value
        if let remembered = known[key] {
            value = remembered
        } else {
            value = try await compute(key)
            known[key] = value
        }
        last = (key, value)
        return value
    }
}
