/// A snapshot as `pg_current_snapshot()` prints it, `xmin:xmax:xip1,xip2,...`: which transactions' effects a
/// statement saw. A transaction's commit is in the WAL (and may be streamed) a moment before other sessions see it —
/// longer when the commit waits for a synchronous standby — so a read-back checks it saw the change it completes.
struct TransactionSnapshot: Equatable {
    /// The first transaction id not yet seen as finished.
    var xmax: UInt64
    /// Transactions running when the snapshot was taken.
    var inProgress: Set<UInt64>

    init(xmax: UInt64, inProgress: Set<UInt64>) {
        self.xmax = xmax
        self.inProgress = inProgress
    }

    init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, UInt64(parts[0]) != nil, let xmax = UInt64(parts[1]) else { return nil }
        var inProgress: Set<UInt64> = []
        for xid in parts[2].split(separator: ",") {
            guard let xid = UInt64(xid) else { return nil }
            inProgress.insert(xid)
        }
        self.init(xmax: xmax, inProgress: inProgress)
    }

    /// Whether the snapshot sees transaction `xid` as committed or aborted — the 32-bit id pgoutput's Begin reports,
    /// placed in the epoch that puts it nearest `xmax` (a streamed transaction is recent).
    func sees(_ xid: UInt32) -> Bool {
        let distance = Int64(Int32(bitPattern: xid &- UInt32(truncatingIfNeeded: xmax)))
        guard distance < 0, Int64(clamping: xmax) + distance >= 0 else { return false }
        return !inProgress.contains(UInt64(Int64(clamping: xmax) + distance))
    }
}
