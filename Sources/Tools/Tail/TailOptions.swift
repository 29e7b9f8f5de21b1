import Shared

/// Everything `ferry tail` was asked to do, parsed and checked.
public struct TailOptions: Sendable {
    public var kafka: KafkaConfiguration
    /// A topic, `schema.table` (with `prefix`) or a prefix; see `TailTarget`.
    public var target: String
    public var prefix: String?
    /// What the topics hold (`--input-format`): how records are decoded and table topics named.
    public var format = InputFormat.ferry
    public var position: StartPosition
    /// Keep reading new records after the end (until interrupted or `limit`).
    public var follow: Bool
    public var filter: TailFilter
    /// Stop after printing this many entries.
    public var limit: Int?
    /// A bounded tail also stops after this long without any message (an end offset it can never reach, e.g.
    /// one that is a transaction marker); a following tail then stops holding partitions back for the merge.
    public var idleLimit: Duration = .seconds(5)

    public init(
        kafka: KafkaConfiguration, target: String, prefix: String?, position: StartPosition, follow: Bool,
        filter: TailFilter, limit: Int?
    ) {
        self.kafka = kafka
        self.target = target
        self.prefix = prefix
        self.position = position
        self.follow = follow
        self.filter = filter
        self.limit = limit
    }

    /// The reader's librdkafka settings: never commits, whatever `-X` says, so it cannot disturb a group.
    /// It only ever `assign`s, so it never joins one either.
    var readerConfiguration: KafkaConfiguration {
        var configuration = kafka.withDefault("auto.offset.reset", "latest")
        configuration["enable.auto.commit"] = "false"
        configuration["enable.auto.offset.store"] = "false"
        return configuration
    }
}
