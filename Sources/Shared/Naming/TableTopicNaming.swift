/// The table topics of a prefix as the input format names them: `TopicLayout` for Ferry's records,
/// `DebeziumTopicLayout` for Debezium's. What apply subscribes to and what tail and replay resolve names against.
public struct TableTopicNaming: Sendable, Hashable {
    public let format: InputFormat
    public let prefix: String

    public init(format: InputFormat, prefix: String) {
        self.format = format
        self.prefix = prefix
    }

    /// The schema and table of a table topic of this prefix; nil for every other topic.
    public func table(ofTopic topic: String) -> (schema: String, table: String)? {
        switch format {
        case .ferry: TopicLayout(prefix: prefix).table(ofTopic: topic)
        case .debezium: DebeziumTopicLayout(prefix: prefix).table(ofTopic: topic)
        }
    }

    public func isTableTopic(_ topic: String) -> Bool {
        table(ofTopic: topic) != nil
    }

    /// The topics `schema.table`, as a user types it, may mean (a dot may belong to either name).
    public func tableTopics(named qualified: String) -> [String] {
        switch format {
        case .ferry: TopicLayout(prefix: prefix).tableTopics(named: qualified)
        case .debezium:
            Self.splits(of: qualified).map { DebeziumTopicLayout(prefix: prefix).tableTopic(schema: $0.schema, table: $0.table) }
        }
    }

    /// `schema.table` split at each of its dots: every (schema, table) the name may mean.
    static func splits(of qualified: String) -> [(schema: String, table: String)] {
        qualified.indices.filter { qualified[$0] == "." }.map { dot in
            (String(qualified[..<dot]), String(qualified[qualified.index(after: dot)...]))
        }
    }

    /// The table topics as a librdkafka pattern; `isTableTopic` checks each topic again.
    public var subscription: String {
        switch format {
        case .ferry: TopicLayout(prefix: prefix).subscription
        case .debezium: DebeziumTopicLayout(prefix: prefix).subscription
        }
    }
}
