/// The topic names of a Debezium PostgreSQL connector, derived from its `topic.prefix`: the one home of that naming
/// for `ferry apply --input-format debezium` (docs/design.md, "Debezium records").
///
/// - A table's topic is `<topic.prefix>.<schema>.<table>` with the names as they are (Debezium replaces only the
///   characters Kafka refuses, by `_`), so a table topic has exactly two dot-free segments after the prefix.
/// - The transaction-metadata topic `<topic.prefix>.transaction` and the logical-decoding-message topic
///   `<topic.prefix>.message` have one segment; the heartbeat topic `__debezium-heartbeat.<topic.prefix>` does not
///   start with the prefix: none of them is a table topic.
/// - Ferry's own topics of the same prefix (`<prefix>.ferry.dlq`) have the shape of a table topic; the segment
///   `ferry` after the prefix stays Ferry's, as in `TopicLayout`, so a schema named `ferry` is not read.
public struct DebeziumTopicLayout: Sendable, Hashable {
    public let prefix: String

    public init(prefix: String) {
        self.prefix = prefix
    }

    /// The topic Debezium writes the changes of `schema.table` to (names Kafka accepts as they are).
    public func tableTopic(schema: String, table: String) -> String {
        "\(prefix).\(schema).\(table)"
    }

    /// Where the connector writes transaction boundaries (`provide.transaction.metadata`).
    public var transactionTopic: String { "\(prefix).transaction" }

    /// Where the connector writes heartbeats (`heartbeat.interval.ms`, default `topic.heartbeat.prefix`).
    public var heartbeatTopic: String { "__debezium-heartbeat.\(prefix)" }

    /// The schema and table a table topic of this prefix names; nil for every other topic.
    public func table(ofTopic topic: String) -> (schema: String, table: String)? {
        guard topic.hasPrefix(prefix + ".") else { return nil }
        let segments = topic.dropFirst(prefix.count + 1).split(separator: ".", omittingEmptySubsequences: false)
        guard segments.count == 2, !segments[0].isEmpty, !segments[1].isEmpty, segments[0] != TopicLayout.ownSegment
        else { return nil }
        return (String(segments[0]), String(segments[1]))
    }

    public func isTableTopic(_ topic: String) -> Bool {
        table(ofTopic: topic) != nil
    }

    /// The table topics as a librdkafka pattern: the same shape as Ferry's (two segments, the first not `ferry`).
    public var subscription: String { TopicLayout(prefix: prefix).subscription }
}
