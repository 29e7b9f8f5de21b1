/// Why the apply service stops.
public enum ApplyError: Error, CustomStringConvertible {
    /// A record could not be applied and the error behaviour (`setting`: `--on-error stop` or a task setting) says
    /// stop. Its offset is not committed.
    case badRecord(DeadLetter, setting: String)
    /// Kafka did not take a dead letter; the batch is not committed.
    case deadLetterNotDelivered(topic: String, failures: Int)
    /// Kafka refused a dead letter for a reason a retry cannot change (e.g. too large for the DLQ): apply stops
    /// rather than commit past the record or re-read it forever. `others` dead letters of the same batch were
    /// not committed either.
    case deadLetterRefused(DeadLetter, others: Int, deadLetterTopic: String, cause: String, fix: String)
    /// `--truncate delete` on a topic of several partitions: a record of a partition that lags behind the
    /// truncate's would re-create a row the truncate deleted (no order across partitions, docs/design.md
    /// invariant 3).
    case truncateDeleteNeedsOnePartition(topic: String, partitions: Int)
    /// DynamoDB refused a request for a reason waiting cannot change (`DynamoDBError.canHeal`): a missing table, a
    /// denied permission, a request invalid as a whole, an endpoint that is not DynamoDB. Nothing from the first
    /// record not written on is committed.
    case targetRefused(DynamoDBError)

    public var description: String {
        switch self {
        case .badRecord(let letter, let setting):
            "record \(letter.topic)[\(letter.partition)]@\(letter.offset) cannot be applied: \(letter.reason). Apply "
                + "stopped (\(setting)) without committing past it; fix the record's cause (or the setting), then "
                + "restart: apply resumes at this record"
        case .deadLetterNotDelivered(let topic, let failures):
            "\(failures) dead letter(s) could not be written to \(topic)"
        case .deadLetterRefused(let letter, let others, let deadLetterTopic, let cause, let fix):
            "record \(letter.topic)[\(letter.partition)]@\(letter.offset) cannot be applied (\(letter.reason)) and its "
                + "dead letter (\(letter.size) bytes\(others > 0 ? ", one of \(others + 1) in its batch" : "")) cannot be "
                + "written to \(deadLetterTopic): \(cause). Apply stopped without committing past it. Fix: \(fix); "
                + "apply then resumes at this record"
        case .truncateDeleteNeedsOnePartition(let topic, let partitions):
            "--truncate delete needs topics of one partition, and \(topic) has \(partitions): a record of a partition "
                + "behind the truncate's would bring back a row the truncate deleted. Use --truncate ignore (and "
                + "clear the table yourself), or capture into topics of one partition"
        case .targetRefused(let error):
            "\(error). Apply stopped without committing past the records not yet written. Fix: \(error.remedy); then "
                + "restart apply: it resumes at the first record not written"
        }
    }
}
