import Capture
import Shared

/// A session of the source committing changes while a test's capture runs: `change(session, round)` for rounds
/// 1, 2, … until the task is cancelled (`rounds` at most).
func sourceWriter(
    _ url: String, rounds: Int = .max, _ change: @escaping @Sendable (PostgresConnection, Int) async throws -> Void
) -> Task<Void, any Error> {
    Task {
        let session = try await PostgresConnection.connect(url)
        var round = 0
        while !Task.isCancelled, round < rounds {
            round += 1
            do {
                try await change(session, round)
            } catch is CancellationError {
                return  // a pause between changes, cut short
            }
        }
    }
}

/// Counts, in a topic read in offset order, the streamed records that came before the last snapshot (`op: "r"`)
/// record: changes that reached Kafka while the load still ran rather than after it.
struct StreamedDuringLoad {
    private(set) var count = 0
    private var sinceLastRead = 0

    mutating func observe(_ record: ChangeRecord) {
        if record.op == .read {
            count += sinceLastRead
            sinceLastRead = 0
        } else {
            sinceLastRead += 1
        }
    }
}
