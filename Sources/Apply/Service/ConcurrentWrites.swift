/// Runs `body` over `items` with at most `limit` running at once; results in input order. Failures are
/// returned, not thrown, so one failed write does not cancel the others (they are idempotent, and the caller
/// retries only what failed).
func withBoundedConcurrency<Item: Sendable, Output: Sendable>(
    _ items: [Item], limit: Int, _ body: @escaping @Sendable (Item) async throws -> Output
) async -> [Result<Output, any Error>] {
    var results = [Result<Output, any Error>?](repeating: nil, count: items.count)
    await withTaskGroup(of: (Int, Result<Output, any Error>).self) { group in
        var next = 0
        func startNext() {
            guard next < items.count else { return }
            let (index, item) = (next, items[next])
            group.addTask {
                do { return (index, .success(try await body(item))) } catch { return (index, .failure(error)) }
            }
            next += 1
        }
        for _ in 0..<max(1, limit) { startNext() }
        while let (index, result) = await group.next() {
            results[index] = result
            startNext()
        }
    }
    return results.map { $0 ?? .failure(CancellationError()) }
}
