import Logging
import ServiceLifecycle
import Shared

/// Applies poll batches in two steps: `prepare` decodes and maps one (`BatchPlan`), `execute` writes it
/// (coalesced, with bounded concurrency), dead-letters what cannot be applied, and returns the offsets that are
/// then safe to commit. The service prepares the next batch while the current one is written, but executes them
/// one after the other. A DynamoDB outage is waited out with backoff — the batch is retried, never skipped —
/// unless the service is shutting down, when the batch is abandoned uncommitted (nil) and a later run re-reads it.
/// A failure waiting cannot heal (`DynamoDBError.canHeal`) stops apply, the batch uncommitted.
struct BatchRunner: Sendable {
    let options: ApplyOptions
    let planner: BatchPlanner
    let tables: TargetTables
    let writer: ItemWriter
    let truncates: TruncateApplier
    let sweep: GenerationSweep
    let deadLetters: DeadLetterPublisher
    let statistics: ApplyStatistics
    /// Errors so far per table, for the error behaviour's escalation counts.
    let errors = RecordErrorTally()
    let logger: Logger
    /// How many partitions a topic has (for `--truncate delete`, which needs one).
    let partitionCount: @Sendable (_ topic: String) async throws -> Int

    /// Thrown inside a retry loop when shutdown comes during an outage.
    private struct Abandoned: Error {}

    /// The batch decoded and mapped (mapping may describe or create target tables); nil when shutdown came
    /// during an outage.
    func prepare(_ messages: [KafkaMessage]) async throws -> BatchPlan? {
        try await unlessAbandoned {
            let plan = try await retryingOutage { try await planner.plan(messages) }
            // Before any write of the batch; escalations are counted once, when the batch is executed.
            if let first = plan.deadLetters.first(where: { options.errorBehavior.action(for: $0.kind) == .stopTask }) {
                throw ApplyError.badRecord(first, setting: options.errorBehavior.setting(for: first.kind))
            }
            return plan
        }
    }

    /// Writes a prepared batch; returns the offsets to commit, or nil when shutdown came during an outage.
    func execute(_ prepared: BatchPlan) async throws -> [TopicPartitionOffset]? {
        var plan = prepared
        return try await unlessAbandoned {
            for step in plan.steps {
                switch step {
                case .writes(let writes):
                    for (origin, reason, op) in try await write(writes) {
                        if let letter = plan.deadLetter(origin, reason: reason, op: op) { plan.deadLetters.append(letter) }
                    }
                case .truncate(let record):
                    try await truncate(record)
                case .generationSnapshotComplete(let marker, let position):
                    try await sweepOlderGenerations(marker, at: position)
                case .deletesByKey(let writes):
                    // Not counted: such a tombstone mostly repeats the delete just before it, which was.
                    for write in writes {
                        try await retryingOutage { try await writer.versioned.deleteByKey(write) }
                    }
                }
            }
            let (deadLetters, ignored) = try sortedByErrorBehavior(plan.deadLetters)
            try await publish(deadLetters)
            for letter in deadLetters {
                statistics.deadLettered(table: options.sourceTable(ofTopic: letter.topic))
                log("record dead-lettered", letter)
            }
            for letter in ignored {
                statistics.ignored(table: options.sourceTable(ofTopic: letter.topic))
                log("record ignored (IGNORE_RECORD)", letter)
            }
            for (table, cuts) in plan.lobCuts.sorted(by: { $0.key < $1.key }) {
                logger.warning(
                    "values cut by limited LOB mode (DataTruncationErrorPolicy LOG_ERROR)",
                    metadata: [
                        "table": "\(table)", "columns": "\(cuts.columns.sorted().joined(separator: ","))",
                        "records": "\(cuts.records)", "lob_max_kb": "\((options.lobMaximumBytes ?? 0) / 1024)",
                    ])
            }
            statistics.skippedLogicalMessages(plan.logicalMessages)
            statistics.publishLatency(nowMs: WallClock.nowMs())
            return plan.nextOffsets.map { TopicPartitionOffset($0.key, offset: $0.value) }
        }
    }

    private func unlessAbandoned<Value>(_ body: () async throws -> Value) async throws -> Value? {
        do {
            return try await body()
        } catch is Abandoned {
            logger.warning("shutting down during a DynamoDB outage; the batch stays uncommitted and is re-read later")
            return nil
        }
    }

    /// Writes the batch's dead letters. One Kafka refuses for good stops apply with the record, the DLQ and the
    /// fix: carrying on would commit past a record that is nowhere, and retrying would re-read it forever.
    private func publish(_ letters: [DeadLetter]) async throws {
        do {
            try await deadLetters.publish(letters)
        } catch let error as KafkaError where KafkaError.Code.recordTooLarge.contains(error.code) {
            throw refusal(of: letters, cause: "\(error)")
        } catch let error as ApplyError {
            guard case .deadLetterNotDelivered = error else { throw error }
            throw refusal(of: letters, cause: "\(error) (the reason is in the log line before)")
        }
    }

    private func refusal(of letters: [DeadLetter], cause: String) -> ApplyError {
        let limit = options.deadLetterMessageMaxBytes
        let letter = letters.first { $0.size > limit } ?? letters[0]
        // What the clients must take for this record (`message.max.bytes`), and what the DLQ must then take.
        let clientLimit = max(letter.size, options.messageMaxBytes)
        let topicLimit = clientLimit + DeadLetter.headerRoom
        let fix =
            "if the dead letter is too large, give apply -X message.max.bytes=\(clientLimit) and raise the topic's "
            + "max.message.bytes to \(topicLimit) (kafka-configs.sh --alter --entity-type topics --entity-name "
            + "\(options.deadLetterTopic) --add-config max.message.bytes=\(topicLimit)); if apply may not write to it, "
            + "grant its principal Write on \(options.deadLetterTopic)"
        return .deadLetterRefused(
            letter, others: letters.count - 1, deadLetterTopic: options.deadLetterTopic, cause: cause, fix: fix)
    }

    /// The batch's records that cannot be applied, in order, as the error behaviour says: those to dead-letter and
    /// those to skip; the first to stop on (its own policy, or its table's escalation count reached) ends the
    /// service, before its offset can be committed.
    private func sortedByErrorBehavior(_ letters: [DeadLetter]) throws -> (deadLetters: [DeadLetter], ignored: [DeadLetter]) {
        let behavior = options.errorBehavior
        var sorted: (deadLetters: [DeadLetter], ignored: [DeadLetter]) = ([], [])
        for letter in letters {
            var action = behavior.action(for: letter.kind)
            var setting = behavior.setting(for: letter.kind)
            let count = errors.count(letter.kind, in: options.sourceTable(ofTopic: letter.topic))
            if let escalation = behavior.escalation(for: letter.kind), count >= escalation.count {
                (action, setting) = (escalation.action, "\(escalation.setting) after \(count) errors in the table")
            }
            switch action {
            case .stopTask: throw ApplyError.badRecord(letter, setting: setting)
            case .logError: sorted.deadLetters.append(letter)
            case .ignoreRecord: sorted.ignored.append(letter)
            }
        }
        return sorted
    }

    private func log(_ message: Logger.Message, _ letter: DeadLetter) {
        logger.warning(
            message,
            metadata: [
                "topic": "\(letter.topic)", "partition": "\(letter.partition)", "offset": "\(letter.offset)",
                "reason": "\(letter.reason)",
            ])
    }

    /// Writes every item; returns the ones DynamoDB refused. Writes that fail for a passing reason (beyond the
    /// client's own retries) are retried, alone, until they succeed.
    private func write(_ writes: [ItemWrite]) async throws -> [(MessageOrigin, ApplyRecordError, Operation)] {
        var pending = BatchCoalescer.coalesce(writes)
        var refused: [(MessageOrigin, ApplyRecordError, Operation)] = []
        var backoff = Backoff(initial: .milliseconds(200), maximum: .seconds(30))
        while !pending.isEmpty {
            let writer = self.writer
            let units = WriteUnit.units(pending, mode: options.writeMode)
            let results = await withBoundedConcurrency(units, limit: options.concurrency) { try await writer.send($0) }
            var failed: [ItemWrite] = []
            var failure: (any Error)?
            for (unit, result) in zip(units, results) {
                switch result {
                case .success(let outcomes):
                    let writes = unit.writes
                    statistics.record(writes, outcomes: outcomes)
                    for (index, outcome) in outcomes.enumerated() {
                        if case .rejected(let reason) = outcome {
                            refused.append((writes[index].origin, reason, writes[index].op))
                        }
                    }
                case .failure(let error):
                    failed.append(contentsOf: unit.writes)
                    failure = error
                }
            }
            pending = failed
            if let failure { try await pause(after: failure, backoff: &backoff, retrying: pending.count) }
        }
        return refused
    }

    private func truncate(_ record: ChangeRecord) async throws {
        let table = "\(record.source.schema).\(record.source.table)"
        statistics.truncated(table: table)
        guard options.truncateMode == .delete else {
            logger.warning(
                "truncate ignored (--truncate ignore)", metadata: ["table": "\(table)", "version": "\(record.version)"])
            return
        }
        let partitions = try await partitionCount(record.topic)
        guard partitions <= 1 else {
            throw ApplyError.truncateDeleteNeedsOnePartition(topic: record.topic, partitions: partitions)
        }
        let deleted = try await retryingOutage { () async throws -> Int in
            guard let target = try await tables.truncateTarget(schema: record.source.schema, table: record.source.table),
                !target.keyAttributes.isEmpty
            else { return 0 }
            return try await truncates.deleteItems(
                olderThan: record.version, in: target.table, keyAttributes: target.keyAttributes)
        }
        logger.info("truncate applied", metadata: ["table": "\(table)", "items_deleted": "\(deleted)"])
    }

    private func sweepOlderGenerations(_ marker: GenerationSnapshotMarker, at position: TopicPartitionOffset) async throws {
        guard let deleted = try await retryingOutage({ try await sweep.apply(marker, at: position) }) else { return }
        logger.info(
            "items of older generations removed",
            metadata: [
                "table": "\(marker.schema).\(marker.table)", "generation": "\(marker.generation)", "items_deleted": "\(deleted)",
            ])
    }

    /// Runs `body` until it gets through a DynamoDB outage.
    private func retryingOutage<Value>(_ body: () async throws -> Value) async throws -> Value {
        var backoff = Backoff(initial: .milliseconds(200), maximum: .seconds(30))
        while true {
            do {
                return try await body()
            } catch let error as DynamoDBError {
                try await pause(after: error, backoff: &backoff, retrying: 1)
            }
        }
    }

    private func pause(after error: any Error, backoff: inout Backoff, retrying count: Int) async throws {
        if error is CancellationError || Task.isCancelled { throw CancellationError() }
        // Only an outage is waited out. A cause waiting cannot change (a missing table, a denied permission, a denied
        // role, an endpoint that is not DynamoDB, or any error that is not DynamoDB's) stops apply with its message:
        // retrying would hold the batch for ever.
        guard let failure = error as? DynamoDBError else { throw error }
        guard failure.canHeal else { throw ApplyError.targetRefused(failure) }
        guard !Task.isShuttingDownGracefully else { throw Abandoned() }
        let delay = backoff.next()
        statistics.failing("DynamoDB unavailable: \(error)")
        logger.warning(
            "DynamoDB writes failing; retrying",
            metadata: ["error": "\(error)", "writes": "\(count)", "retry_in": "\(delay)"])
        try await Task.sleep(for: delay)
    }
}
