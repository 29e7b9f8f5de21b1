@testable import Apply

/// A deterministic generator of random expressions over columns c1…c3, written twice: for ferry (`$c1`)
/// and for SQLite (`:c1`, a bound parameter, which has no affinity, like a row value in ferry).
struct RandomExpressions {
    /// SplitMix64: a fixed seed gives the same expressions on every machine.
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    static let columns = ["c1", "c2", "c3"]

    /// A row value as SQL text: what the property test binds and what ferry's row holds.
    mutating func rowValue() -> SQLValue {
        switch below(4) {
        case 0: return pick([.null, .integer(0), .integer(1), .integer(-7), .integer(42)])
        case 1:
            return pick([
                .integer(9_223_372_036_854_775_807), .integer(-9_223_372_036_854_775_807), .integer(3_000_000_000),
                .integer(Int64(below(2000)) - 1000),
            ])
        case 2:
            return pick([
                .real(2.5), .real(-0.1), .real(1e20), .real(3.0), .real(2.675), .real(-1.5), .real(0.125),
                .real(1e-5), .real(123456.789), .real(-9.995), .real(1e300), .real(.leastNonzeroMagnitude),
            ])
        default:
            return .text(
                pick([
                    "", "abc", "Hello World", " 12 ", "12abc", "3.5", "-4", "1e3", "a%b_c", "ABC", "  pad  ",
                    "2024-02-29 13:45:30", "2021-12-31", "x'y", "\u{e9}t\u{e9}", "10:30", "abc  ", "Abc", "aBC ",
                    "%d|%s", "say \"hi\"",
                ]))
        }
    }

    /// (ferry's text, SQLite's text) of an expression at most `depth` deep.
    mutating func expression(_ depth: Int) -> (String, String) {
        if depth == 0 || chance(20) { return leaf() }
        let kind = below(19)
        switch kind {
        case 0, 1, 2:
            let op = pick([
                "+", "-", "*", "/", "%", "||", "=", "==", "!=", "<>", "<", "<=", ">", ">=", "AND", "OR", "IS",
                "IS NOT", "&", "|", "<<", ">>",
            ])
            return combine(operand(depth), " \(op) ", operand(depth))
        case 3:
            let op = pick(["- ", "+", "NOT ", "~"])  // "--" would start a comment
            return wrap(op, operand(depth), "")
        case 4:
            return wrap("", operand(depth), pick([" IS NULL", " ISNULL", " NOTNULL", " NOT NULL", " IS NOT NULL"]))
        case 5:
            let between = combine(operand(depth), pick([" BETWEEN ", " NOT BETWEEN "]), grouped(depth))
            return combine(between, " AND ", grouped(depth))
        case 6:
            var list = grouped(depth)
            for _ in 0..<below(3) { list = combine(list, ", ", expression(depth - 1)) }
            return combine(operand(depth), pick([" IN (", " NOT IN ("]), wrap("", list, ")"))
        case 7:
            let pattern: (String, String) =
                chance(60)
                ? quoted(pick(["%b%", "a_c", "A%", "%", "_", "%\\%%", "h%W%", "12%", "%c"])) : grouped(depth)
            let like = combine(operand(depth), pick([" LIKE ", " NOT LIKE "]), pattern)
            return chance(30) ? combine(like, " ESCAPE ", quoted("\\")) : like
        case 8:
            let pattern = quoted(pick(["*b*", "a?c", "[a-c]*", "[^a]*", "*[0-9]", "H*", "*"]))
            return combine(operand(depth), pick([" GLOB ", " NOT GLOB "]), pattern)
        case 9:
            var text = chance(50) ? wrap("CASE ", expression(depth - 1), "") : ("CASE", "CASE")
            for _ in 0...below(2) {
                text = combine(text, " WHEN ", expression(depth - 1))
                text = combine(text, " THEN ", expression(depth - 1))
            }
            if chance(60) { text = combine(text, " ELSE ", expression(depth - 1)) }
            return wrap("", text, " END")
        case 10:
            let type = pick(["INTEGER", "TEXT", "REAL", "NUMERIC", "VARCHAR(10)", "INT", "DOUBLE"])
            return wrap("CAST(", expression(depth - 1), " AS \(type))")
        case 11:
            return call(
                pick(["lower", "upper", "length", "abs", "hex", "typeof", "trim", "ltrim", "rtrim", "round"]),
                [expression(depth - 1)])
        case 12:
            let name = pick(["substr", "substring", "trim", "ltrim", "rtrim", "round", "instr", "coalesce", "ifnull",
                "nullif", "min", "max"])
            var arguments = [expression(depth - 1), name == "round" ? smallInteger() : expression(depth - 1)]
            if ["substr", "substring"].contains(name), chance(60) { arguments.append(smallInteger()) }
            if ["coalesce", "min", "max"].contains(name), chance(50) { arguments.append(expression(depth - 1)) }
            return call(name, arguments)
        case 13:
            return call("replace", [expression(depth - 1), expression(depth - 1), expression(depth - 1)])
        case 14:
            return call(
                pick(["substr", "substring"]), [expression(depth - 1), smallInteger(), smallInteger()])
        case 15, 16:
            return printf(depth)
        case 17:
            return wrap("", operand(depth), " COLLATE " + pick(["NOCASE", "BINARY", "RTRIM", "nocase", "'rtrim'"]))
        default:
            return dateTime()
        }
    }

    /// printf/format with a random format (text, flags, widths, precisions, `*`, every conversion and some
    /// SQLite ends the output at) and random arguments, sometimes too few or shifted. `%c` gets a non-empty text
    /// in its place (of NULL or '' it makes a NUL character, which SQLite's other functions read as the end of
    /// the text and ferry's as a character).
    private mutating func printf(_ depth: Int) -> (String, String) {
        let conversions = (0...below(3)).map { _ in
            chance(2) ? pick(["T", "y", ""]) : pick(Array("diufeEgGxXocsqQwzpr%n").map(String.init))
        }
        let mayShift = !conversions.contains("c")
        var format = ""
        var arguments: [(String, String)] = []
        for conversion in conversions {
            if chance(40) { format += pick(["a", "x=", " | ", "\u{e9}", "''"]) }
            format += "%"
            for flag in ["-", "+", " ", "0", "#", ",", "!"] where chance(12) { format += flag }
            if chance(30) {
                format += String(below(12))
            } else if chance(10) {
                format += "*"
                arguments.append(smallInteger(to: 12))
            }
            if chance(35) {
                format += "." + String(below(25))
            } else if chance(10) {
                format += ".*"
                arguments.append(smallInteger(to: 20))
            }
            if chance(5) { format += pick(["l", "ll"]) }
            format += conversion
            if conversion == "c" {
                arguments.append(quoted(pick(["x", "\u{e9}t\u{e9}", "ab", "'"])))
            } else if !["%", "n", "T", "y", ""].contains(conversion) || (mayShift && chance(10)) {
                arguments.append(expression(depth - 1))
            }
        }
        if mayShift, chance(10), !arguments.isEmpty { arguments.removeLast() }
        let formatArgument = chance(90) ? quoted(format) : expression(depth - 1)
        return call(pick(["printf", "format"]), [formatArgument] + arguments)
    }

    private mutating func dateTime() -> (String, String) {
        let name = pick(["date", "time", "datetime", "julianday", "strftime"])
        var arguments: [(String, String)] = []
        if name == "strftime" { arguments.append(quoted(pick(["%Y-%m-%d", "%H:%M:%f", "%j %w %W", "%s", "%J", "%%Y"]))) }
        let literal = chance(70)
            ? pick(["2024-02-29 13:45:30", "2021-12-31", "2000-01-01T00:00:00.123", "1999-07-04 23:59",
                "12:30:45", "2024-01-31 10:00:00+02:00", "2459000.5", "bad"])
            : nil
        arguments.append(literal.map(quoted) ?? (chance(50) ? leaf() : unixTime()))
        // After a value SQLite cannot read, its `localtime` and `utc` clear the error and go on from 2000-01-01 or
        // Julian day 0, where Ferry gives NULL (README, "add-column expressions"): they follow readable values only.
        let readable = literal.map { $0 != "bad" } ?? false
        for _ in 0..<below(3) {
            arguments.append(
                quoted(pick(["+1 day", "-3 hours", "+90 minutes", "+1.5 days", "-1 month", "+13 months", "+1 year",
                    "start of month", "start of year", "start of day", "unixepoch", "+30 seconds", "-2 years",
                    "weekday 0", "weekday 3", "WEEKDAY 6", "weekday 7"] + (readable ? ["localtime", "utc"] : []))))
        }
        return call(name, arguments)
    }

    private mutating func unixTime() -> (String, String) {
        let value = String(below(2_000_000_000))
        return (value, value)
    }

    private mutating func smallInteger() -> (String, String) {
        let value = String(below(9) - 4)
        return (value, value)
    }

    private mutating func smallInteger(to bound: Int) -> (String, String) {
        let value = String(below(2 * bound + 1) - bound)
        return (value, value)
    }

    private mutating func leaf() -> (String, String) {
        switch below(6) {
        case 0, 1:
            let column = pick(Self.columns)
            return ("$" + column, ":" + column)
        case 2:
            let value = pick(["0", "1", "2", "-3", "7", "10", "9223372036854775807", "100"])
            return (value, value)
        case 3:
            let value = pick(["0.5", "2.5", "1e3", "3.0", "-1.25", "0.1", "1.0e20"])
            return (value, value)
        case 4:
            return quoted(pick(["abc", "", "12", " 3.5", "A_b%", "Hello", "x", "2024-02-29"]))
        default:
            return ("NULL", "NULL")
        }
    }

    private func quoted(_ text: String) -> (String, String) {
        let literal = "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        return (literal, literal)
    }

    /// An operand of an operator: sometimes parenthesized, sometimes bare (so precedence is exercised).
    private mutating func operand(_ depth: Int) -> (String, String) {
        chance(50) ? expression(depth - 1) : grouped(depth)
    }

    private mutating func grouped(_ depth: Int) -> (String, String) {
        wrap("(", expression(depth - 1), ")")
    }

    private mutating func call(_ name: String, _ arguments: [(String, String)]) -> (String, String) {
        (
            name + "(" + arguments.map(\.0).joined(separator: ", ") + ")",
            name + "(" + arguments.map(\.1).joined(separator: ", ") + ")"
        )
    }

    private func wrap(_ before: String, _ inner: (String, String), _ after: String) -> (String, String) {
        (before + inner.0 + after, before + inner.1 + after)
    }

    private func combine(_ left: (String, String), _ middle: String, _ right: (String, String)) -> (String, String) {
        (left.0 + middle + right.0, left.1 + middle + right.1)
    }
}
