import Shared

/// A record's version as the DynamoDB number stored on its item (docs/design.md, invariant 5): the decimal digits of
/// `commitLSN × 10^10 + (seq + 1)`. Numbers compare like `(commit_lsn, seq)` because `seq + 1` (a snapshot row's
/// `seq` is -1) always fits the ten low digits. Built as text: the product does not fit a UInt64.
public enum ItemVersion {
    /// The widest `seq + 1` the ten low digits hold.
    static let maximumSeq: Int64 = 9_999_999_998
    /// The most an item version adds to an item's size: 30 digits (20 of a UInt64 LSN, 10 of seq) as an N.
    static let maximumSize = 16

    public static func number(for version: RecordVersion) throws(ApplyRecordError) -> String {
        guard version.seq >= -1, version.seq <= maximumSeq else { throw .seqOutOfRange(version.seq) }
        let low = UInt64(version.seq + 1)
        let lsn = version.commitLSN.rawValue
        guard lsn > 0 else { return String(low) }
        // Digits written in place, from the last: every written item carries one, and three temporary strings
        // per item showed in bulk apply's profile.
        var lsnDigits = 1
        var rest = lsn / 10
        while rest > 0 {
            lsnDigits += 1
            rest /= 10
        }
        return String(unsafeUninitializedCapacity: lsnDigits + 10) { buffer in
            var position = lsnDigits + 10
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
            return lsnDigits + 10
        }
    }

    /// The commit LSN an item version number stands for (`number ÷ 10^10`): when the change it holds committed.
    /// Nil when `number` is not the decimal digits `number(for:)` writes.
    public static func commitLSN(ofNumber number: String) -> LSN? {
        guard !number.isEmpty, number.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            return nil
        }
        let high = number.dropLast(10)
        guard !high.isEmpty else { return LSN(rawValue: 0) }
        return UInt64(high).map(LSN.init(rawValue:))
    }
}
