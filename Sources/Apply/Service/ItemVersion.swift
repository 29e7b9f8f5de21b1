import Shared

/// A record's version as the DynamoDB number stored on its item (docs/design.md, "The item version"): the decimal
/// digits of `generation × 10^30 + commitLSN × 10^10 + (seq + 1)`. Numbers compare like
/// `(generation, commit_lsn, seq)` because `seq + 1` (a snapshot row's `seq` is -1) always fits the ten low digits and
/// a UInt64 LSN the twenty above them. Generation 0 adds nothing: the first history's numbers are what they were
/// before generations existed (at most 30 digits). DynamoDB keeps 38 significant digits, so the generation has 8.
/// Built as text: the number does not fit a UInt64. The one home of this arithmetic: capture, apply, tail, validate
/// and the tests' fold all go through `RecordVersion` and this type.
public enum ItemVersion {
    /// The widest `seq + 1` the ten low digits hold.
    static let maximumSeq: Int64 = 9_999_999_998
    /// The largest generation the 8 digits above the 30 of `(commit_lsn, seq)` hold.
    public static let maximumGeneration: Int64 = 99_999_999
    /// The most an item version adds to an item's size: 38 digits as an N (one byte per two digits, plus one).
    static let maximumSize = 20

    public static func number(for version: RecordVersion) throws(ApplyRecordError) -> String {
        if version.scheme == .debezium { return try debeziumNumber(for: version) }
        guard version.seq >= -1, version.seq <= maximumSeq else { throw .seqOutOfRange(version.seq) }
        guard version.generation >= 0, version.generation <= maximumGeneration else {
            throw .generationOutOfRange(version.generation)
        }
        let low = UInt64(version.seq + 1)
        let lsn = version.commitLSN.rawValue
        let generation = UInt64(version.generation)
        guard lsn > 0 || generation > 0 else { return String(low) }
        // Digits written in place, from the last: every written item carries one, and three temporary strings
        // per item showed in bulk apply's profile.
        let lsnDigits = generation > 0 ? 20 : digitCount(lsn)
        let generationDigits = generation > 0 ? digitCount(generation) : 0
        let length = generationDigits + lsnDigits + 10
        return String(unsafeUninitializedCapacity: length) { buffer in
            var position = length
            func writeDigits(of value: UInt64, width: Int) {
                var remaining = value
                for _ in 0..<width {
                    position -= 1
                    buffer[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
                    remaining /= 10
                }
            }
            writeDigits(of: low, width: 10)
            writeDigits(of: lsn, width: lsnDigits)
            writeDigits(of: generation, width: generationDigits)
            return length
        }
    }

    /// The largest change LSN a Debezium version's 18 low digits hold (`lsn + 1` < 10^18: about 888 PiB of WAL).
    public static let maximumDebeziumLSN: Int64 = 999_999_999_999_999_998

    /// A Debezium record's version `(last commit LSN, LSN)` (docs/design.md, "Debezium records") as the digits of
    /// `last_commit_lsn × 10^18 + (lsn + 1)`: a snapshot row's `lsn` is -1, and 20 + 18 digits are DynamoDB's 38.
    private static func debeziumNumber(for version: RecordVersion) throws(ApplyRecordError) -> String {
        guard version.seq >= -1, version.seq <= maximumDebeziumLSN else { throw .lsnOutOfRange(version.seq) }
        let low = String(version.seq + 1)
        let lastCommit = version.commitLSN.rawValue
        guard lastCommit > 0 else { return low }
        return String(lastCommit) + String(repeating: "0", count: 18 - low.utf8.count) + low
    }

    /// The generation and commit LSN an item version number stands for (`number ÷ 10^30`, and `number ÷ 10^10`
    /// mod 10^20): which history the change it holds belongs to, and when it committed there.
    /// Nil when `number` is not the decimal digits `number(for:)` writes.
    public static func position(ofNumber number: String) -> (generation: Int64, commitLSN: LSN)? {
        guard !number.isEmpty, number.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            return nil
        }
        let high = number.dropLast(10)
        let generationDigits = high.dropLast(20)
        guard let lsn = high.suffix(20).isEmpty ? 0 : UInt64(high.suffix(20)),
            let generation = generationDigits.isEmpty ? 0 : Int64(generationDigits)
        else { return nil }
        return (generation, LSN(rawValue: lsn))
    }

    /// The commit LSN an item version number stands for; see `position(ofNumber:)`.
    public static func commitLSN(ofNumber number: String) -> LSN? {
        position(ofNumber: number)?.commitLSN
    }

    /// `position(ofNumber:)` for a number of either scheme. A Debezium number (`debeziumNumber(for:)`) holds no
    /// commit LSN: its change committed after both the last commit LSN and its own LSN, so the larger of the two
    /// stands for it — the earliest it can have committed (0 for a snapshot row read before any commit).
    public static func position(ofNumber number: String, scheme: VersionScheme) -> (generation: Int64, commitLSN: LSN)? {
        guard scheme == .debezium else { return position(ofNumber: number) }
        guard !number.isEmpty, number.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let lsnPlusOne = UInt64(number.suffix(18)),
            let lastCommit = number.count > 18 ? UInt64(number.dropLast(18)) : 0
        else { return nil }
        return (0, LSN(rawValue: max(lastCommit, lsnPlusOne > 0 ? lsnPlusOne - 1 : 0)))
    }

    private static func digitCount(_ value: UInt64) -> Int {
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        return digits
    }
}
