/// Where `ferry tail` starts reading each partition, or where `ferry replay` moves a group to.
public enum StartPosition: Hashable, Sendable {
    /// The last `count` records of each partition (by offset); the default, with 10.
    case lastRecords(Int)
    case beginning
    /// `--offset P:O`: only the named partitions, from these offsets.
    case offsets([PartitionOffset])
    /// The first record at or after this time (Kafka message timestamp, ms since the epoch): `--since`, `--at`.
    case time(milliseconds: Int64)

    public static let defaultRecordCount = 10

    public struct PartitionOffset: Hashable, Sendable {
        public var partition: Int32
        public var offset: Int64

        public init(partition: Int32, offset: Int64) {
            self.partition = partition
            self.offset = offset
        }
    }

    /// The position the flags ask for; at most one of them may be given.
    public static func parse(
        fromBeginning: Bool, offsets: [String], since: String?, at: String?, nowMs: Int64
    ) throws(TailError) -> StartPosition {
        let given = [
            fromBeginning ? "--from-beginning" : nil, offsets.isEmpty ? nil : "--offset", since.map { _ in "--since" },
            at.map { _ in "--at" },
        ].compactMap { $0 }
        guard given.count <= 1 else { throw .conflictingOptions(given) }
        if fromBeginning { return .beginning }
        if !offsets.isEmpty {
            var parsed: [PartitionOffset] = []
            for text in offsets { parsed.append(try partitionOffset(text)) }
            return .offsets(parsed)
        }
        if let since {
            guard let duration = DurationText.milliseconds(since) else {
                throw .invalidOption(flag: "--since", value: since, expected: "a duration such as 30s, 10m, 2h, 1d or 1h30m")
            }
            return .time(milliseconds: nowMs - duration)
        }
        if let at {
            guard let milliseconds = ISOTimestamp.parseMilliseconds(at) else {
                throw .invalidOption(
                    flag: "--at", value: at, expected: "an ISO-8601 time such as 2024-11-24T15:00:00Z (UTC when no zone)")
            }
            return .time(milliseconds: milliseconds)
        }
        return .lastRecords(defaultRecordCount)
    }

    /// `P:O`, both non-negative.
    static func partitionOffset(_ text: String) throws(TailError) -> PartitionOffset {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let partition = Int32(parts[0]), let offset = Int64(parts[1]), partition >= 0, offset >= 0
        else { throw .invalidOption(flag: "--offset", value: text, expected: "PARTITION:OFFSET, e.g. 0:1500") }
        return PartitionOffset(partition: partition, offset: offset)
    }

    /// Where the last `count` records of a partition start, from its watermarks.
    public static func lastRecordsStart(count: Int, low: Int64, high: Int64) -> Int64 {
        max(low, high - Int64(count))
    }
}
