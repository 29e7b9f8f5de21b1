/// Why the apply service stops.
public enum ApplyError: Error, CustomStringConvertible {
    /// `--on-error stop`: a record could not be applied. Its offset is not committed.
    case badRecord(DeadLetter)
    /// Kafka did not take a dead letter; the batch is not committed.
    case deadLetterNotDelivered(topic: String, failures: Int)
    /// `--truncate delete` on a topic of several partitions: a record of a partition that lags behind the
    /// truncate's would re-create a row the truncate deleted (no order across partitions, docs/design.md
    /// invariant 3).
    case truncateDeleteNeedsOnePartition(topic: String, partitions: Int)

    public var description: String {
        switch self {
        case .badRecord(let letter):
            "record \(letter.topic)[\(letter.partition)]@\(letter.offset) cannot be applied: \(letter.reason)"
        case .deadLetterNotDelivered(let topic, let failures):
            "\(failures) dead letter(s) could not be written to \(topic)"
        case .truncateDeleteNeedsOnePartition(let topic, let partitions):
            "--truncate delete needs topics of one partition, and \(topic) has \(partitions): a record of a partition "
                + "behind the truncate's would bring back a row the truncate deleted. Use --truncate ignore (and "
                + "clear the table yourself), or capture into topics of one partition"
        }
    }
}
