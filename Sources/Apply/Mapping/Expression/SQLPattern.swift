/// LIKE (ASCII case-insensitive, `%` `_`, optional escape) and GLOB (`*` `?` `[...]`) as SQLite matches them.
enum SQLPattern {
    static func like(_ text: [Unicode.Scalar], _ pattern: [Unicode.Scalar], escape: Unicode.Scalar?) -> Bool {
        func folded(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
            ("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32)! : scalar
        }
        return matches(text, pattern, many: "%", one: "_", escape: escape) { p, scalar in
            if pattern[p] == escape {
                guard p + 1 < pattern.count, folded(scalar) == folded(pattern[p + 1]) else { return nil }
                return p + 2
            }
            return folded(scalar) == folded(pattern[p]) ? p + 1 : nil
        }
    }

    static func glob(_ text: [Unicode.Scalar], _ pattern: [Unicode.Scalar]) -> Bool {
        matches(text, pattern, many: "*", one: "?", escape: nil) { p, scalar in
            guard pattern[p] == "[" else { return pattern[p] == scalar ? p + 1 : nil }
            guard let (found, next) = set(in: pattern, at: p, contains: scalar), found else { return nil }
            return next
        }
    }

    /// The matcher both share: `many` matches any run, `one` any character (unless they follow `escape`);
    /// `element(p, scalar)` matches one other pattern element against `scalar`, giving the index after it.
    private static func matches(
        _ text: [Unicode.Scalar], _ pattern: [Unicode.Scalar], many: Unicode.Scalar, one: Unicode.Scalar,
        escape: Unicode.Scalar?, element: (Int, Unicode.Scalar) -> Int?
    ) -> Bool {
        func match(_ start: Int, _ patternStart: Int) -> Bool {
            var t = start
            var p = patternStart
            while p < pattern.count {
                let token = pattern[p]
                if token == many, token != escape {
                    while p < pattern.count, pattern[p] == many || pattern[p] == one, pattern[p] != escape {
                        if pattern[p] == one {
                            guard t < text.count else { return false }
                            t += 1
                        }
                        p += 1
                    }
                    if p == pattern.count { return true }
                    return (t...text.count).contains { match($0, p) }
                }
                guard t < text.count else { return false }
                if token == one, token != escape {
                    p += 1
                } else {
                    guard let next = element(p, text[t]) else { return false }
                    p = next
                }
                t += 1
            }
            return t == text.count
        }
        return match(0, 0)
    }

    /// Whether the GLOB set starting at `start` (`[`) holds `scalar`, and the index after it; nil when unclosed.
    private static func set(in pattern: [Unicode.Scalar], at start: Int, contains scalar: Unicode.Scalar) -> (Bool, Int)? {
        var p = start + 1
        var invert = false
        if p < pattern.count, pattern[p] == "^" {
            invert = true
            p += 1
        }
        var found = false
        var previous: Unicode.Scalar?
        var first = true
        while p < pattern.count {
            let member = pattern[p]
            if member == "]", !first { return (found != invert, p + 1) }
            if member == "-", let low = previous, p + 1 < pattern.count, pattern[p + 1] != "]" {
                if low <= scalar && scalar <= pattern[p + 1] { found = true }
                previous = nil
                p += 2
            } else {
                if member == scalar { found = true }
                previous = member
                p += 1
            }
            first = false
        }
        return nil
    }
}
