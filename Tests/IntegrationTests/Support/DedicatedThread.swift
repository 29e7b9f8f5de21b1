import Dispatch

/// Runs `operation` (and what it awaits that is not bound elsewhere) on a thread of its own instead of Swift's
/// cooperative pool.
///
/// Why: the pool has one thread per core — two here — and the tests share it. A test that decodes and folds a
/// few hundred thousand records in a debug build keeps a pool thread busy for many seconds; two such tests at
/// once stalled every other test in the process (an in-process apply missed `max.poll.interval.ms` and left its
/// group, the HTTP server test waited out its time limit). CPU-heavy checking code runs here instead, and the
/// scheduler shares the cores between its thread and the pool.
func onDedicatedThread<Value>(
    _ label: String, operation: () async throws -> Value
) async throws -> Value {
    try await withTaskExecutorPreference(DedicatedThreadExecutor(label: label), operation: operation)
}

/// A task executor backed by one serial dispatch queue (dispatch gives each such queue a thread of its own when
/// it has work, outside the cooperative pool's width).
private final class DedicatedThreadExecutor: TaskExecutor {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: "ferry.tests.\(label)")
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
