/// What a pipeline's table topics hold, and so how apply, tail, validate and replay read them (`--input-format`,
/// docs/design.md, "Debezium records").
public enum InputFormat: String, Sendable, CaseIterable {
    /// Ferry's own change records, on `TopicLayout`'s topics.
    case ferry
    /// A Debezium PostgreSQL connector's records (Kafka Connect `JsonConverter`, with or without schemas), on
    /// `DebeziumTopicLayout`'s topics.
    case debezium

    /// How the item versions of records in this format are laid out (`ItemVersion`).
    public var versionScheme: VersionScheme {
        switch self {
        case .ferry: .ferry
        case .debezium: .debezium
        }
    }
}
