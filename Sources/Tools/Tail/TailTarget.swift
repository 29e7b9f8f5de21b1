import Shared

/// What `ferry tail <target>` reads: an exact topic, `schema.table` under the prefix, or every table topic of a
/// prefix (its table topics as the input format names them, `TableTopicNaming`: not Ferry's own `<prefix>.ferry.*`,
/// Debezium's transaction topic, nor a longer prefix's topics).
public enum TailTarget {
    public static func resolve(
        _ target: String, prefix: String?, format: InputFormat = .ferry, among topics: [String]
    ) throws(TailError) -> [String] {
        if topics.contains(target) { return [target] }
        if let prefix,
            let topic = TableTopicNaming(format: format, prefix: prefix).tableTopics(named: target).first(where: topics.contains)
        {
            return [topic]
        }
        let layout = TableTopicNaming(format: format, prefix: target)
        let tableTopics = topics.filter(layout.isTableTopic)
        if !tableTopics.isEmpty { return tableTopics.sorted() }
        throw .unknownTarget(target, prefix: prefix, nearMatches: nearMatches(for: target, prefix: prefix, among: topics))
    }

    /// Topics the user may have meant: the same name in another case, a name containing what was typed,
    /// or one a typo or two away.
    static func nearMatches(for target: String, prefix: String?, among topics: [String], limit: Int = 5) -> [String] {
        let candidates = [target] + (prefix.map { ["\($0).\(target)"] } ?? [])
        let ranked: [(rank: Int, topic: String)] = topics.compactMap { topic in
            let text = topic.lowercased()
            let ranks = candidates.compactMap { candidate -> Int? in
                let wanted = candidate.lowercased()
                if text == wanted { return 0 }
                if wanted.count >= 3, text.contains(wanted) || wanted.contains(text) { return 1 }
                let allowance = max(2, wanted.count / 5)
                let distance = EditDistance.between(Array(text), Array(wanted), giveUpAbove: allowance)
                return distance <= allowance ? 1 + distance : nil
            }
            return ranks.min().map { ($0, topic) }
        }
        return ranked.sorted { ($0.rank, $0.topic) < ($1.rank, $1.topic) }.prefix(limit).map(\.topic)
    }
}
