import Apply
import Capture
import Logging
import Shared
import Synchronization

/// One `ferry validate` run: picks the tables, checks every mapping and target table, takes the snapshot, then per
/// table counts both sides and compares them, row by row (every row, or a random sample looked up by key).
public struct ValidateSession: Sendable {
    public let options: ValidateOptions
    let client: DynamoDBClient
    let logger: Logger

    public init(options: ValidateOptions, client: DynamoDBClient, logger: Logger) {
        self.options = options
        self.client = client
        self.logger = logger
    }

    /// - Parameter progress: called after each row compared (from several tasks when tables run in parallel).
    public func run(progress: @escaping @Sendable (ValidationProgress) -> Void) async throws(ValidateError)
        -> ValidationReport
    {
        let snapshot = try await SourceSnapshot.open(source: options.source, selection: options.selection)
        let unselected = snapshot.tables.map(\.name).filter {
            !options.mappings.isSelected(schema: $0.schema, table: $0.name)
        }
        guard unselected.isEmpty else { throw .notSelectedByMappings(unselected) }
        var targets: [TargetTable] = []
        var problems: [PreflightProblem] = []
        for table in snapshot.tables {
            var target = try await TargetTable.prepare(table, mappings: options.mappings, client: client)
            // Capture reads only the rows the selection rules' filters take; so does the comparison.
            do throws(RowFilterError) {
                target.rowFilter = try table.rowFilterCondition(
                    options.mappings.captureRules(schema: table.name.schema, table: table.name.name).rowFilters)
            } catch {
                problems.append(.tableRuleUnusable(table.name, error.description))
            }
            targets.append(target)
        }
        guard problems.isEmpty else { throw .sourceNotReady(source: snapshot.source, problems: problems) }

        let snapshotLSN = try await snapshot.begin()
        logger.debug("snapshot taken", metadata: ["lsn": "\(snapshotLSN)", "tables": "\(targets.map(\.name))"])
        if options.targetReadDelay > .zero {
            // Changes committed before the snapshot get this long to reach DynamoDB (a cancelled wait ends the run).
            do { try await Task.sleep(for: options.targetReadDelay) } catch { throw .cancelled }
        }
        let tolerance = VersionTolerance(
            snapshotLSN: snapshotLSN, versionAttribute: options.versionAttribute,
            scheme: options.inputFormat.versionScheme)
        let sessions =
            [snapshot]
            + (try await snapshot.sharedWith(min(options.parallelTables, targets.count) - 1, source: options.source))
        // Each session takes the next table not taken yet; the run's failure budget is what the tables finished
        // so far left of it.
        let queue = TableQueue()
        let tables = targets
        var reports = [TableReport?](repeating: nil, count: targets.count)
        do {
            try await withThrowingTaskGroup(of: [(Int, TableReport)].self) { group in
                for session in sessions {
                    group.addTask {
                        var done: [(Int, TableReport)] = []
                        while true {
                            let (index, failures) = queue.take()
                            guard index < tables.count else { return done }
                            let limit = [options.tableFailureLimit, options.runFailureLimit.map { $0 - failures }]
                                .compactMap { $0 }.min()
                            let report = try await compare(
                                tables[index], snapshot: session, tolerance: tolerance, failureLimit: limit, progress)
                            queue.finished(failures: report.failures)
                            done.append((index, report))
                        }
                    }
                }
                for try await done in group { for (index, report) in done { reports[index] = report } }
            }
        } catch let error as ValidateError {
            throw error
        } catch {
            throw .cancelled
        }
        return ValidationReport(
            source: snapshot.source, snapshotLSN: snapshotLSN, sampleSize: options.sampleSize,
            versionAttribute: options.versionAttribute, tables: reports.compactMap { $0 })
    }

    /// One table, in full or by sample, timed.
    private func compare(
        _ target: TargetTable, snapshot: SourceSnapshot, tolerance: VersionTolerance, failureLimit: Int?,
        _ progress: (ValidationProgress) -> Void
    ) async throws(ValidateError) -> TableReport {
        let clock = ContinuousClock()
        let started = clock.now
        var report: TableReport
        if let sampleSize = options.sampleSize {
            report = try await compareSample(
                target, size: sampleSize, snapshot: snapshot, tolerance: tolerance, failureLimit: failureLimit, progress)
        } else {
            report = try await compareAll(target, snapshot: snapshot, tolerance: tolerance, failureLimit: failureLimit, progress)
        }
        report.duration = clock.now - started
        return report
    }

    /// Every row against an index of every item; what no row claims is extra.
    private func compareAll(
        _ target: TargetTable, snapshot: SourceSnapshot, tolerance: VersionTolerance, failureLimit: Int?,
        _ progress: (ValidationProgress) -> Void
    ) async throws(ValidateError) -> TableReport {
        let sourceRows = try await snapshot.count(target.table, where: target.rowFilter)
        var index = try await target.index()
        // The newest generation among the items is the source's: older ones' LSNs say nothing about its snapshot.
        var tolerance = tolerance
        tolerance.generation = index.highest { tolerance.generation(of: $0) }
        var comparison = TableComparison(
            report: TableReport(
                table: target.table.name, targetTable: target.name, sourceRows: sourceRows,
                targetItems: index.liveCount, isSample: false),
            tolerance: tolerance, detailLimit: options.detailLimit, failureLimit: failureLimit,
            truncationAttribute: options.truncationAttribute)
        try await snapshot.rows(of: target.shape, clause: target.rowFilter.map { "WHERE \($0)" }) { rows in
            for values in rows {
                switch target.map(values) {
                case .item(let item, let key):
                    comparison.compare(
                        expected: item, key: key, stored: index.take(key),
                        recordAttributes: target.mapper.recordHeaderAttributes)
                case .unmappable(let key, let reason):
                    // Its item, should one exist from before, is accounted for by this row, not extra.
                    _ = index.take(key)
                    comparison.unmappable(key: key, reason: reason)
                }
                progress(ValidationProgress(table: target.table.name, compared: comparison.report.compared, total: sourceRows))
            }
        }
        for (key, item) in index.remaining { comparison.extra(item, key: key) }
        return comparison.report
    }

    /// Up to `size` rows picked at random by PostgreSQL, each looked up by key.
    private func compareSample(
        _ target: TargetTable, size: Int, snapshot: SourceSnapshot, tolerance: VersionTolerance, failureLimit: Int?,
        _ progress: (ValidationProgress) -> Void
    ) async throws(ValidateError) -> TableReport {
        let sourceRows = try await snapshot.count(target.table, where: target.rowFilter)
        var comparison = TableComparison(
            report: TableReport(
                table: target.table.name, targetTable: target.name, sourceRows: sourceRows,
                targetItems: try await target.liveItemCount(), isSample: true),
            tolerance: tolerance, detailLimit: options.detailLimit, failureLimit: failureLimit,
            truncationAttribute: options.truncationAttribute)
        let total = min(size, sourceRows)
        let sample = (target.rowFilter.map { "WHERE \($0) " } ?? "") + "ORDER BY random() LIMIT \(size)"
        try await snapshot.rows(of: target.shape, clause: sample) { rows in
            for values in rows {
                switch target.map(values) {
                case .item(let item, let key):
                    comparison.compare(
                        expected: item, key: key, stored: try await target.item(key: key),
                        recordAttributes: target.mapper.recordHeaderAttributes)
                case .unmappable(let key, let reason):
                    comparison.unmappable(key: key, reason: reason)
                }
                progress(ValidationProgress(table: target.table.name, compared: comparison.report.compared, total: total))
            }
        }
        return comparison.report
    }
}

/// The tables of a run, handed out in order to the sessions comparing them, and the failures found so far.
private final class TableQueue: Sendable {
    private let state = Mutex((next: 0, failures: 0))

    /// The index of the next table, and the failures the finished tables found.
    func take() -> (index: Int, failures: Int) {
        state.withLock { state in
            defer { state.next += 1 }
            return (state.next, state.failures)
        }
    }

    func finished(failures: Int) {
        state.withLock { $0.failures += failures }
    }
}
