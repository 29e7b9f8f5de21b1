import Dispatch

/// Runs blocking C calls (libpq, librdkafka) on one serial dispatch queue, never on Swift's cooperative pool.
///
/// Each C handle gets its own executor, so calls on that handle are serialised (neither libpq connections nor
/// most librdkafka calls tolerate concurrent use) and a slow call blocks only its own queue.
/// A job runs start to finish on one thread, so C error state read inside the job belongs to the call just made.
package final class BlockingExecutor: Sendable {
    private let queue: DispatchQueue

    package init(label: String) {
        queue = DispatchQueue(label: label)
    }

    package func run<Value: Sendable>(_ job: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try job() }) }
        }
    }

    package func run<Value: Sendable>(_ job: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: job()) }
        }
    }
}
