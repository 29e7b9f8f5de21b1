import Apply

/// Tallies one table's comparison into its `TableReport`, one row (or leftover item) at a time, so the source
/// side can stream through it.
public struct TableComparison: Sendable {
    public private(set) var report: TableReport
    let tolerance: VersionTolerance
    /// How many differences the report keeps in detail; all are counted.
    let detailLimit: Int
    /// After this many failures the comparison stops (`TableReport.stoppedAtFailureLimit`); nil: never.
    let failureLimit: Int?
    /// The attribute in which apply names the values limited LOB mode cut (`TruncatedValues`).
    let truncationAttribute: String?

    public init(
        report: TableReport, tolerance: VersionTolerance, detailLimit: Int, failureLimit: Int? = nil,
        truncationAttribute: String? = nil
    ) {
        self.report = report
        self.tolerance = tolerance
        self.detailLimit = detailLimit
        self.failureLimit = failureLimit
        self.truncationAttribute = truncationAttribute
        if let failureLimit, failureLimit <= 0 { self.report.stoppedAtFailureLimit = true }
    }

    /// A row's mapped item against what DynamoDB holds under its key (`stored`: nil when nothing).
    /// - Parameter recordAttributes: attributes filled from a change record's header, which a row read from
    ///   PostgreSQL does not have (`ItemMapper.recordHeaderAttributes`): not compared.
    public mutating func compare(
        expected: DynamoDBItem, key: DynamoDBItem, stored: DynamoDBItem?, recordAttributes: Set<String> = []
    ) {
        guard !report.stoppedAtFailureLimit else { return }
        report.compared += 1
        guard let stored, !Tombstone.isTombstone(stored) else {
            // A tombstone newer than the snapshot means the row was deleted after it.
            note(Difference(kind: .missing, key: key), stored: stored)
            return
        }
        let ignored = recordAttributes.union([tolerance.versionAttribute] + (truncationAttribute.map { [$0] } ?? []))
        let attributes = ItemComparison.differences(expected: expected, stored: stored, ignoring: ignored)
        guard !attributes.isEmpty else { return }
        let cut = TruncatedValues.names(in: stored, attribute: truncationAttribute)
        let unexplained = cut.isEmpty ? attributes : attributes.filter { !TruncatedValues.explain($0, cut: cut) }
        guard !unexplained.isEmpty else {
            report.truncated += 1
            return
        }
        note(Difference(kind: .differing, key: key, attributes: unexplained), stored: stored)
    }

    /// A row the mapping refuses (apply dead-letters it, so DynamoDB cannot have its item).
    public mutating func unmappable(key: DynamoDBItem, reason: String) {
        guard !report.stoppedAtFailureLimit else { return }
        report.compared += 1
        note(Difference(kind: .unmappable, key: key, reason: reason), stored: nil)
    }

    /// An item no row maps to. Tombstones are not items of the table and are ignored.
    public mutating func extra(_ stored: DynamoDBItem, key: DynamoDBItem) {
        guard !report.stoppedAtFailureLimit, !Tombstone.isTombstone(stored) else { return }
        note(Difference(kind: .extra, key: key), stored: stored)
    }

    private mutating func note(_ difference: Difference, stored: DynamoDBItem?) {
        var difference = difference
        if let stored {
            difference.targetVersion = tolerance.version(of: stored)
            difference.targetCommitLSN = tolerance.commitLSN(of: stored)
            difference.isTolerated = tolerance.isNewerThanSnapshot(stored)
        }
        if difference.isTolerated {
            report.tolerated += 1
        } else {
            switch difference.kind {
            case .missing, .unmappable: report.missing += 1
            case .extra: report.extra = (report.extra ?? 0) + 1
            case .differing: report.differing += 1
            }
        }
        if report.differences.count < detailLimit { report.differences.append(difference) }
        if let failureLimit, report.failures >= failureLimit { report.stoppedAtFailureLimit = true }
    }
}
