/// How many single-character edits turn one name into another: "did you mean" suggestions for tables and topics.
package enum EditDistance {
    /// Levenshtein distance; anything above `limit` is reported as `limit + 1` without finishing.
    package static func between(_ lhs: [Character], _ rhs: [Character], giveUpAbove limit: Int) -> Int {
        guard abs(lhs.count - rhs.count) <= limit else { return limit + 1 }
        var previous = Array(0...rhs.count)
        for (i, left) in lhs.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: rhs.count)
            for (j, right) in rhs.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (left == right ? 0 : 1))
            }
            if current.min() ?? 0 > limit { return limit + 1 }
            previous = current
        }
        return previous[rhs.count]
    }
}
