/// `30s`, `10m`, `2h`, `1d`, `1h30m`, `500ms`: a positive span of time in milliseconds.
public enum DurationText {
    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ]

    public static func milliseconds(_ text: String) -> Int64? {
        var rest = Substring(text)
        var total: Int64 = 0
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard let amount = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let suffix = rest.prefix { $0.isASCII && $0.isLetter }
            guard let unit = units.first(where: { $0.suffix == suffix.lowercased() }) else { return nil }
            rest = rest.dropFirst(suffix.count)
            let (product, overflow) = amount.multipliedReportingOverflow(by: unit.milliseconds)
            guard !overflow, total <= Int64.max - product else { return nil }
            total += product
        }
        return total > 0 ? total : nil
    }
}
