import Apply
import Capture
import Logging
import Shared

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

    /// - Parameter progress: called after each row compared.
    public func run(progress: (ValidationProgress) -> Void) async throws(ValidateError) -> ValidationReport {
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
        let tolerance = VersionTolerance(snapshotLSN: snapshotLSN, versionAttribute: options.versionAttribute)
        var reports: [TableReport] = []
        var failures = 0
        for target in targets {
            let clock = ContinuousClock()
            let started = clock.now
            let limit = [options.tableFailureLimit, options.runFailureLimit.map { $0 - failures }].compactMap { $0 }.min()
            var report: TableReport
            if let sampleSize = options.sampleSize {
                report = try await compareSample(
                    target, size: sampleSize, snapshot: snapshot, tolerance: tolerance, failureLimit: limit, progress)
            } else {
                report = try await compareAll(target, snapshot: snapshot, tolerance: tolerance, failureLimit: limit, progress)
            }
            report.duration = clock.now - started
            failures += report.failures
            reports.append(report)
        }
        return ValidationReport(
            source: snapshot.source, snapshotLSN: snapshotLSN, sampleSize: options.sampleSize,
            versionAttribute: options.versionAttribute, tables: reports)
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
