import Logging
import ServiceLifecycle
import Shared
import Synchronization

/// `ferry validate --every PERIOD`: validates, waits until the next period begins, validates again — until
/// SIGTERM/SIGINT. Differences never end it (each run's report is handed on, and counted in `statistics`); a run
/// that fails for a cause the next one may not meet (a lost connection, DynamoDB failing) is logged and retried at
/// the next period; a cause every run would meet (a missing table, a denied permission) stops it with the message.
public final class PeriodicValidation: Service {
    public let statistics = ValidationStatistics()
    private let session: ValidateSession
    private let period: Duration
    private let logger: Logger
    private let reported: @Sendable (ValidationReport) -> Void

    /// How often a run in progress logs how far it is.
    static let progressInterval: Duration = .seconds(5)

    /// - Parameter reported: given each run's report (the command prints it).
    public init(
        session: ValidateSession, period: Duration, logger: Logger,
        reported: @escaping @Sendable (ValidationReport) -> Void
    ) {
        self.session = session
        self.period = period
        self.logger = logger
        self.reported = reported
    }

    public func run() async throws {
        // A shutdown cancels the run in progress or the wait for the next one; either way the service ends cleanly.
        try await cancelWhenGracefulShutdown { try await self.validateEachPeriod() }
    }

    private func validateEachPeriod() async throws {
        let clock = ContinuousClock()
        while !Task.isCancelled {
            let started = clock.now
            statistics.started(atMs: WallClock.nowMs())
            do {
                let report = try await validate()
                statistics.finished(report, duration: clock.now - started, atMs: WallClock.nowMs())
                reported(report)
                logSummary(of: report)
            } catch {
                if Task.isCancelled { return }
                statistics.failed(error.description, duration: clock.now - started)
                guard error.isTransient else { throw error }
                logger.warning(
                    "validation run failed; retrying at the next period",
                    metadata: ["error": "\(error)", "next_run_in": "\(max(.zero, started + period - clock.now))"])
            }
            // A run longer than the period is followed by the next one at once.
            let next = max(started + period, clock.now)
            statistics.waiting(untilMs: WallClock.nowMs() + Int64((next - clock.now).seconds * 1000))
            do { try await clock.sleep(until: next) } catch { return }
        }
    }

    private func validate() async throws(ValidateError) -> ValidationReport {
        let clock = ContinuousClock()
        let lastLogged = Mutex(clock.now)
        let logger = self.logger
        return try await session.run { progress in
            let due = lastLogged.withLock { last in
                guard clock.now - last >= Self.progressInterval else { return false }
                last = clock.now
                return true
            }
            guard due else { return }
            logger.info(
                "validate progress",
                metadata: ["table": "\(progress.table)", "compared": "\(progress.compared)", "rows": "\(progress.total)"])
        }
    }

    private func logSummary(of report: ValidationReport) {
        for table in report.tables {
            let metadata: Logger.Metadata = [
                "table": "\(table.table)", "target": "\(table.targetTable)", "compared": "\(table.compared)",
                "missing": "\(table.missing)", "extra": "\(table.extra.map(String.init) ?? "n/a")",
                "differing": "\(table.differing)", "tolerated": "\(table.tolerated)", "truncated": "\(table.truncated)",
            ]
            if table.isClean {
                logger.info("table matches", metadata: metadata)
            } else {
                logger.warning("table differs", metadata: metadata)
            }
        }
    }
}
