extension KafkaConsumer {
    /// What `keepingMembership` returns: the work's result and the messages polled meanwhile.
    public struct KeptMembership<Value: Sendable>: Sendable {
        public var value: Value
        /// Messages of partitions assigned while the work ran: not processed yet, in order per partition.
        public var polled: [KafkaMessage]
    }

    /// Runs `work` (one polled batch's processing) without losing the group membership when it takes long.
    ///
    /// librdkafka drops a member that has not polled for `max.poll.interval.ms`. For a batch-synchronous consumer
    /// a slow batch (a throttled or unreachable sink) then costs more than time: its commit fails, it rejoins, and
    /// re-reads the same batch, which is as slow again — a loop. So once `work` has run for `pollInterval`, the
    /// member pauses its partitions and polls every `pollInterval` until `work` is done, then resumes them.
    /// Rebalances are served meanwhile: a revocation commits what was stored before this batch, and the batch's
    /// own offsets are stored afterwards only for partitions still assigned (re-reads are idempotent by design).
    public func keepingMembership<Value: Sendable>(
        pollInterval: Duration, _ work: () async throws -> Value
    ) async throws -> KeptMembership<Value> {
        try await withThrowingTaskGroup(of: [KafkaMessage].self) { group in
            group.addTask { try await self.pollPausedUntilCancelled(every: pollInterval) }
            let value: Value
            do {
                value = try await work()
            } catch {
                group.cancelAll()
                throw error
            }
            group.cancelAll()
            let polled = try await group.next() ?? []
            return KeptMembership(value: value, polled: polled)
        }
    }

    /// Polls with the assignment paused every `interval` until cancelled; then resumes the assignment if it paused
    /// it (throwing if it cannot: paused partitions would stall silently), and returns what the polls brought.
    private func pollPausedUntilCancelled(every interval: Duration) async throws -> [KafkaMessage] {
        var polled: [KafkaMessage] = []
        var paused = false
        while (try? await Task.sleep(for: interval)) != nil {
            if !paused {
                logger.info(
                    "batch still in progress; polling with partitions paused to stay in the group",
                    metadata: ["after": "\(interval)"])
            }
            paused = true
            do {
                polled += try await pollWithAssignmentPaused()
            } catch {
                // The main loop's next poll meets it again and decides.
                logger.warning("polling while paused failed", metadata: ["error": "\(error)"])
            }
        }
        if paused { try await resumeAssignment() }
        return polled
    }
}
