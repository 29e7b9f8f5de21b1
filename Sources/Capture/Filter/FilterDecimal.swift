/// A `numeric` value as PostgreSQL orders it: −Infinity < every number < Infinity < NaN (NaN equals NaN).
/// Finite values compare exactly, digit by digit, never through a Double.
struct FilterDecimal: Comparable, Sendable {
    private enum Magnitude: Comparable, Sendable {
        case negativeInfinity
        /// `sign` × 0.`digits` × 10^`exponent`, digits without leading or trailing zeros; zero is `digits` empty.
        case finite(negative: Bool, exponent: Int, digits: [UInt8])
        case positiveInfinity
        case notANumber

        static func < (lhs: Magnitude, rhs: Magnitude) -> Bool {
            switch (lhs, rhs) {
            case (.finite(let ln, let le, let ld), .finite(let rn, let re, let rd)):
                let lhsSign = ld.isEmpty ? 0 : (ln ? -1 : 1)
                let rhsSign = rd.isEmpty ? 0 : (rn ? -1 : 1)
                guard lhsSign == rhsSign else { return lhsSign < rhsSign }
                guard lhsSign != 0 else { return false }
                let magnitudeLess = le != re ? le < re : ld.lexicographicallyPrecedes(rd)
                let magnitudeEqual = le == re && ld == rd
                return lhsSign > 0 ? magnitudeLess : !magnitudeLess && !magnitudeEqual
            default:
                return lhs.rank < rhs.rank
            }
        }

        private var rank: Int {
            switch self {
            case .negativeInfinity: 0
            case .finite: 1
            case .positiveInfinity: 2
            case .notANumber: 3
            }
        }
    }

    private let magnitude: Magnitude

    static func < (lhs: FilterDecimal, rhs: FilterDecimal) -> Bool { lhs.magnitude < rhs.magnitude }
    static func == (lhs: FilterDecimal, rhs: FilterDecimal) -> Bool { !(lhs < rhs) && !(rhs < lhs) }

    /// Reads PostgreSQL's `numeric` input: optional sign, digits with an optional point, an optional exponent,
    /// `NaN`, `Infinity`/`inf` (any case, signed); surrounding blanks. nil when it is none of these.
    init?(_ text: String) {
        let trimmed = text.trimmingBlanks
        var body = Substring(trimmed)
        var negative = false
        if let first = body.first, first == "+" || first == "-" {
            negative = first == "-"
            body = body.dropFirst()
        }
        switch body.lowercased() {
        case "nan" where body.count == trimmed.count: magnitude = .notANumber; return
        case "infinity", "inf": magnitude = negative ? .negativeInfinity : .positiveInfinity; return
        default: break
        }
        var digits: [UInt8] = []
        var pointPosition: Int?
        var index = body.startIndex
        while index < body.endIndex, let ascii = body[index].asciiValue, ascii == UInt8(ascii: ".") || (48...57).contains(ascii) {
            if ascii == UInt8(ascii: ".") {
                guard pointPosition == nil else { return nil }
                pointPosition = digits.count
            } else {
                digits.append(ascii - 48)
            }
            index = body.index(after: index)
        }
        guard !digits.isEmpty else { return nil }
        var exponent = pointPosition ?? digits.count
        if index < body.endIndex {
            guard body[index] == "e" || body[index] == "E", let power = Int(body[body.index(after: index)...]),
                abs(power) <= 1_000_000
            else { return nil }
            exponent += power
        }
        while digits.first == 0 {
            digits.removeFirst()
            exponent -= 1
        }
        while digits.last == 0 { digits.removeLast() }
        magnitude = .finite(negative: negative, exponent: digits.isEmpty ? 0 : exponent, digits: digits)
    }
}
