/// Why the apply service stops.
public enum ApplyError: Error, CustomStringConvertible {
    /// `--on-error stop`: a record could not be applied. Its offset is not committed.
    case badRecord(DeadLetter)
    /// Kafka did not take a dead letter; the batch is not committed.
    case deadLetterNotDelivered(topic: String, failures: Int)

    public var description: String {
        switch self {
        case .badRecord(let letter):
            "record \(letter.topic)[\(letter.partition)]@\(letter.offset) cannot be applied: \(letter.reason)"
        case .deadLetterNotDelivered(let topic, let failures):
            "\(failures) dead letter(s) could not be written to \(topic)"
        }
    }
}
