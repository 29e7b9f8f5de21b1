import Shared

extension PgOutputMessage {
    /// Whether this message starts what belongs at or after WAL position `point`: a transaction committed there or
    /// later (Begin carries its commit's LSN), or a logical message written outside any transaction there or later.
    /// Streaming up to a snapshot's consistent point stops at the first such message.
    func isPast(_ point: LSN) -> Bool {
        switch self {
        case .begin(let begin): begin.finalLSN >= point
        case .logicalMessage(let message): !message.isTransactional && message.lsn >= point
        default: false
        }
    }
}
