/// What became of one item write.
public enum WriteOutcome: Sendable, Hashable {
    /// DynamoDB now holds this version.
    case applied
    /// The item already held this version or a newer one (a redelivery or a replay): nothing to do.
    case alreadyApplied
    /// DynamoDB refused the item itself; the record is dead-lettered.
    case rejected(ApplyRecordError)
}
