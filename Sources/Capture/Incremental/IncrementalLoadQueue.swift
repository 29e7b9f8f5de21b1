import Synchronization

/// One table's incremental snapshot: what to read and how far it got.
struct IncrementalLoad: Sendable {
    var table: SourceTable
    var progress: IncrementalProgress
}

/// The tables waiting for an incremental snapshot, handed to the loader's workers one at a time; a worker with
/// nothing to do waits for the next table (a `ferry snapshot` request met by the stream), until cancelled.
public final class IncrementalLoadQueue: Sendable {
    private struct State {
        var loads: [IncrementalLoad] = []
        var waiters: [UInt64: CheckedContinuation<IncrementalLoad?, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let state = Mutex(State())

    init(_ loads: [IncrementalLoad] = []) {
        state.withLock { $0.loads = loads }
    }

    func add(_ load: IncrementalLoad) {
        let waiter = state.withLock { state -> CheckedContinuation<IncrementalLoad?, Never>? in
            guard let first = state.waiters.keys.min() else {
                state.loads.append(load)
                return nil
            }
            return state.waiters.removeValue(forKey: first)
        }
        waiter?.resume(returning: load)
    }

    /// The next table without waiting; nil when none is queued.
    func next() -> IncrementalLoad? {
        state.withLock { $0.loads.isEmpty ? nil : $0.loads.removeFirst() }
    }

    /// The next table, waiting for one; nil once the task is cancelled.
    func waitForNext() async -> IncrementalLoad? {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<IncrementalLoad?, Never>) in
                let ready = state.withLock { state -> IncrementalLoad?? in
                    if Task.isCancelled { return .some(nil) }
                    if !state.loads.isEmpty { return .some(state.loads.removeFirst()) }
                    state.waiters[id] = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: nil)
        }
    }
}
