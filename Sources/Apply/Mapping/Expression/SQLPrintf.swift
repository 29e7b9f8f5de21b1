/// `printf(FORMAT, ...)` and `format(...)` as SQLite 3.40's printf.c renders them for SQL: the conversions
/// `d i u f e E g G x X o c s z q Q w p r n %`, the flags `- + space # ! 0 ,`, widths and precisions (`*` reads
/// an argument), arguments read as `sqlite3_value_int64` / `_double` / `_text` read them (missing ones are 0 or
/// NULL), reals digit by digit in x87 extended precision with SQLite's own rounding (`%.2f` of 2.675 is 2.68),
/// 16 significant digits (26 with `!`). An unknown conversion ends the output where it stands; NULL when
/// nothing was output at all (`printf('')`), as in SQLite.
enum SQLPrintf {
    /// The longest result: DynamoDB's item limit (SQLite's is 1 GB; nothing longer could be written).
    static let maximumLength = 400 * 1024

    static func format(_ arguments: [SQLValue]) throws(ExpressionEvaluationError) -> SQLValue {
        guard let format = arguments.first.flatMap(Self.cString) else { return .null }
        var renderer = Renderer(format: format, arguments: Arguments(values: arguments.dropFirst()))
        guard let bytes = try renderer.render() else { return .null }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .failed("printf() cut a multi-byte character: the result is not valid UTF-8")
        }
        return .text(text)
    }

    /// A real as SQLite renders it as text (`%!.15g`).
    static func render(_ value: Double) -> String {
        text("%!.15g", [.real(value)])
    }

    /// Ferry's own formatting of numbers as SQLite's C code does it (fixed formats: never near the length limit).
    static func text(_ format: String, _ arguments: [SQLValue]) -> String {
        var renderer = Renderer(format: Array(format.utf8), arguments: Arguments(values: arguments[...]))
        return String(decoding: (try? renderer.render()) ?? [], as: UTF8.self)
    }

    /// A value's text as SQLite hands it to C: up to its first NUL.
    private static func cString(_ value: SQLValue) -> [UInt8]? {
        value.text.map { Array($0.utf8.prefix { $0 != 0 }) }
    }

    /// The arguments after the format, each taken once in order.
    private struct Arguments {
        let values: ArraySlice<SQLValue>
        var used = 0

        private mutating func next() -> SQLValue? {
            guard used < values.count else { return nil }
            defer { used += 1 }
            return values[values.startIndex + used]
        }

        mutating func integer() -> Int64 { next()?.integerValue ?? 0 }
        mutating func real() -> Double { next()?.doubleValue ?? 0 }
        mutating func text() -> [UInt8]? { next().flatMap(SQLPrintf.cString) }
    }

    private enum Conversion {
        case decimal, radix, ordinal, pointer, float, exponent, generic, size, percent, character
        case string, sqlEscape, sqlEscapeQuoted, identifierEscape
    }

    /// A conversion letter's conversion, base, digit set (upper or lower case), whether it is signed and the
    /// prefix `#` adds; nil for letters SQLite does not know (or keeps for its own use), which end the output.
    private static func conversion(
        _ letter: UInt8
    ) -> (kind: Conversion, base: UInt64, upper: Bool, signed: Bool, prefix: [UInt8])? {
        switch letter {
        case UInt8(ascii: "d"), UInt8(ascii: "i"): (.decimal, 10, false, true, [])
        case UInt8(ascii: "u"): (.decimal, 10, false, false, [])
        case UInt8(ascii: "s"), UInt8(ascii: "z"): (.string, 0, false, false, [])
        case UInt8(ascii: "g"): (.generic, 0, false, true, [])
        case UInt8(ascii: "G"): (.generic, 0, true, true, [])
        case UInt8(ascii: "q"): (.sqlEscape, 0, false, false, [])
        case UInt8(ascii: "Q"): (.sqlEscapeQuoted, 0, false, false, [])
        case UInt8(ascii: "w"): (.identifierEscape, 0, false, false, [])
        case UInt8(ascii: "c"): (.character, 0, false, false, [])
        case UInt8(ascii: "o"): (.radix, 8, false, false, Array("0".utf8))
        case UInt8(ascii: "x"): (.radix, 16, false, false, Array("0x".utf8))
        case UInt8(ascii: "X"): (.radix, 16, true, false, Array("0X".utf8))
        case UInt8(ascii: "f"): (.float, 0, false, true, [])
        case UInt8(ascii: "e"): (.exponent, 0, false, true, [])
        case UInt8(ascii: "E"): (.exponent, 0, true, true, [])
        case UInt8(ascii: "n"): (.size, 0, false, false, [])
        case UInt8(ascii: "%"): (.percent, 0, false, false, [])
        case UInt8(ascii: "p"): (.pointer, 16, true, false, Array("0x".utf8))
        case UInt8(ascii: "r"): (.ordinal, 10, false, true, [])
        default: nil
        }
    }

    /// One conversion's flags, width and precision.
    private struct Spec {
        var leftJustify = false
        var sign: UInt8?
        var alternateForm = false
        var alternateForm2 = false
        var zeroPad = false
        var thousands = false
        var width = 0
        var precision = -1
    }

    private struct Renderer {
        let format: [UInt8]
        var arguments: Arguments
        var output: [UInt8] = []
        /// Whether anything was appended, even nothing (`%n`): SQLite's result is NULL only when not.
        var appended = false
        var index = 0

        init(format: [UInt8], arguments: Arguments) {
            self.format = format
            self.arguments = arguments
        }

        private func byte(_ at: Int) -> UInt8 { at < format.count ? format[at] : 0 }

        private mutating func append<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws(ExpressionEvaluationError) {
            appended = true
            guard output.count + bytes.count <= maximumLength else { throw SQLPrintf.tooLong }
            output.append(contentsOf: bytes)
        }

        private mutating func append(_ byte: UInt8, count: Int) throws(ExpressionEvaluationError) {
            try append(repeatElement(byte, count: Swift.max(count, 0)))
        }

        /// The output, or nil when nothing was appended.
        mutating func render() throws(ExpressionEvaluationError) -> [UInt8]? {
            while index < format.count {
                if format[index] != UInt8(ascii: "%") {
                    let start = index
                    while index < format.count, format[index] != UInt8(ascii: "%") { index += 1 }
                    try append(format[start..<index])
                    if index == format.count { break }
                }
                index += 1
                guard index < format.count else {
                    try append(CollectionOfOne(UInt8(ascii: "%")))
                    break
                }
                guard try convert() else { break }
                index += 1
            }
            return appended ? output : nil
        }

        /// Reads the flags, width and precision at `index` (after a `%`), leaving `index` at the conversion letter.
        private mutating func spec() -> Spec {
            var spec = Spec()
            var c = byte(index)
            var done = false
            repeat {
                switch c {
                case UInt8(ascii: "-"): spec.leftJustify = true
                case UInt8(ascii: "+"): spec.sign = UInt8(ascii: "+")
                case UInt8(ascii: " "): spec.sign = UInt8(ascii: " ")
                case UInt8(ascii: "#"): spec.alternateForm = true
                case UInt8(ascii: "!"): spec.alternateForm2 = true
                case UInt8(ascii: "0"): spec.zeroPad = true
                case UInt8(ascii: ","): spec.thousands = true
                case UInt8(ascii: "l"):
                    index += 1
                    if byte(index) == UInt8(ascii: "l") { index += 1 }
                    done = true
                case UInt8(ascii: "1")...UInt8(ascii: "9"):
                    var width = UInt32(c - 48)
                    index += 1
                    while (48...57).contains(byte(index)) {
                        width = width &* 10 &+ UInt32(byte(index) - 48)
                        index += 1
                    }
                    spec.width = Int(width & 0x7fff_ffff)
                    if byte(index) != UInt8(ascii: ".") && byte(index) != UInt8(ascii: "l") {
                        done = true
                    } else {
                        index -= 1
                    }
                case UInt8(ascii: "*"):
                    let width = Int(Int32(truncatingIfNeeded: arguments.integer()))
                    if width < 0 {
                        spec.leftJustify = true
                        spec.width = width >= -2_147_483_647 ? -width : 0
                    } else {
                        spec.width = width
                    }
                    if byte(index + 1) != UInt8(ascii: ".") && byte(index + 1) != UInt8(ascii: "l") {
                        index += 1
                        done = true
                    }
                case UInt8(ascii: "."):
                    index += 1
                    if byte(index) == UInt8(ascii: "*") {
                        let precision = Int(Int32(truncatingIfNeeded: arguments.integer()))
                        spec.precision = precision >= 0 ? precision : precision >= -2_147_483_647 ? -precision : -1
                        index += 1
                    } else {
                        var precision: UInt32 = 0
                        while (48...57).contains(byte(index)) {
                            precision = precision &* 10 &+ UInt32(byte(index) - 48)
                            index += 1
                        }
                        spec.precision = Int(precision & 0x7fff_ffff)
                    }
                    if byte(index) == UInt8(ascii: "l") { index -= 1 } else { done = true }
                default:
                    done = true
                }
                if !done {
                    index += 1
                    c = byte(index)
                }
            } while !done && c != 0
            return spec
        }

        /// Renders the conversion at `index`; false when it ends the output (an unknown letter, the format's end).
        private mutating func convert() throws(ExpressionEvaluationError) -> Bool {
            var spec = spec()
            guard let info = SQLPrintf.conversion(byte(index)) else { return false }
            // A width, or a precision that pads, this long makes a result over the limit.
            let precisionPads = [.decimal, .radix, .ordinal, .pointer, .character].contains(info.kind)
            guard spec.width <= maximumLength, spec.precision <= maximumLength || !precisionPads else {
                throw SQLPrintf.tooLong
            }
            var field: [UInt8]
            switch info.kind {
            case .decimal, .radix, .ordinal, .pointer:
                if info.kind != .decimal { spec.thousands = false }
                field = integerField(&spec, info)
            case .float, .exponent, .generic:
                field = try realField(&spec, info.kind, upper: info.upper)
            case .size:
                spec.width = 0
                field = []
            case .percent:
                field = [UInt8(ascii: "%")]
            case .character:
                field = try characterField(&spec)
            case .string:
                let text = arguments.text() ?? []
                if spec.precision >= 0 {
                    field = Array(text.prefix(spec.alternateForm2 ? Self.utf8Length(of: spec.precision, in: text) : spec.precision))
                } else {
                    field = text
                }
            case .sqlEscape, .sqlEscapeQuoted, .identifierEscape:
                field = escapedField(spec, info.kind)
            }
            // With `!`, widths count characters: continuation bytes do not fill the field.
            if spec.alternateForm2 || info.kind == .character, spec.width > 0 {
                spec.width += field.count { $0 & 0xC0 == 0x80 }
            }
            let padding = spec.width - field.count
            if padding > 0, !spec.leftJustify { try append(UInt8(ascii: " "), count: padding) }
            try append(field)
            if padding > 0, spec.leftJustify { try append(UInt8(ascii: " "), count: padding) }
            return true
        }

        private mutating func integerField(
            _ spec: inout Spec, _ info: (kind: Conversion, base: UInt64, upper: Bool, signed: Bool, prefix: [UInt8])
        ) -> [UInt8] {
            var magnitude: UInt64
            var sign: UInt8?
            let value = arguments.integer()
            if info.signed, value < 0 {
                magnitude = value.magnitude
                sign = UInt8(ascii: "-")
            } else {
                magnitude = UInt64(bitPattern: value)
                sign = info.signed ? spec.sign : nil
            }
            if magnitude == 0 { spec.alternateForm = false }
            var precision = spec.precision
            if spec.zeroPad, precision < spec.width - (sign == nil ? 0 : 1) {
                precision = spec.width - (sign == nil ? 0 : 1)
            }
            var suffix: [UInt8] = []
            if info.kind == .ordinal {
                var x = Int(magnitude % 10)
                if x >= 4 || (magnitude / 10) % 10 == 1 { x = 0 }
                suffix = Array(["th", "st", "nd", "rd"][x].utf8)
            }
            let digits = Array((info.upper ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
            var reversed: [UInt8] = []
            repeat {
                reversed.append(digits[Int(magnitude % info.base)])
                magnitude /= info.base
            } while magnitude > 0
            // The precision counts an ordinal's suffix too.
            while precision > reversed.count + suffix.count { reversed.append(UInt8(ascii: "0")) }
            if spec.thousands {
                var grouped: [UInt8] = []
                for (position, digit) in reversed.enumerated() {
                    if position > 0, position % 3 == 0 { grouped.append(UInt8(ascii: ",")) }
                    grouped.append(digit)
                }
                reversed = grouped
            }
            var field = spec.alternateForm ? info.prefix : []
            if let sign { field.append(sign) }
            return field + reversed.reversed() + suffix
        }

        private mutating func characterField(_ spec: inout Spec) throws(ExpressionEvaluationError) -> [UInt8] {
            var character: [UInt8] = [0]
            if let text = arguments.text(), let first = text.first {
                character = [first]
                if first & 0xC0 == 0xC0 {
                    for byte in text.dropFirst() {
                        guard character.count < 4, byte & 0xC0 == 0x80 else { break }
                        character.append(byte)
                    }
                }
            }
            if spec.precision > 1 {
                spec.width -= spec.precision - 1
                if spec.width > 1, !spec.leftJustify {
                    try append(UInt8(ascii: " "), count: spec.width - 1)
                    spec.width = 0
                }
                for _ in 1..<spec.precision { try append(character) }
            }
            return character
        }

        private mutating func escapedField(_ spec: Spec, _ kind: Conversion) -> [UInt8] {
            let quote = kind == .identifierEscape ? UInt8(ascii: "\"") : UInt8(ascii: "'")
            let argument = arguments.text()
            let text = argument ?? Array((kind == .sqlEscapeQuoted ? "NULL" : "(NULL)").utf8)
            // The precision counts bytes (characters with `!`) of the argument, before quotes are doubled.
            var end = 0
            var remaining = spec.precision
            while remaining != 0, end < text.count {
                if spec.alternateForm2, text[end] & 0xC0 == 0xC0 {
                    while end + 1 < text.count, text[end + 1] & 0xC0 == 0x80 { end += 1 }
                }
                end += 1
                remaining -= 1
            }
            let quoted = argument != nil && kind == .sqlEscapeQuoted
            var field: [UInt8] = quoted ? [quote] : []
            for byte in text[..<end] {
                field.append(byte)
                if byte == quote { field.append(byte) }
            }
            if quoted { field.append(quote) }
            return field
        }

        /// `%f`, `%e` and `%g`: SQLite's digit loop over a long double.
        private mutating func realField(
            _ spec: inout Spec, _ kind: Conversion, upper: Bool
        ) throws(ExpressionEvaluationError) -> [UInt8] {
            var kind = kind
            var real = LongDouble(arguments.real())
            var precision = spec.precision < 0 ? 6 : Swift.min(spec.precision, 100_000_000)
            let sign: UInt8?
            if real < 0 {
                real = -real
                sign = UInt8(ascii: "-")
            } else {
                sign = spec.sign
            }
            if kind == .generic, precision > 0 { precision -= 1 }
            var scaled = precision & 0xfff
            var rounder = [5.0e-01, 5.0e-02, 5.0e-03, 5.0e-04, 5.0e-05, 5.0e-06, 5.0e-07, 5.0e-08, 5.0e-09, 5.0e-10][
                scaled % 10]
            while scaled >= 10 {
                rounder *= 1.0e-10
                scaled -= 10
            }
            if kind == .float {
                let exponent = Int((Double(real).bitPattern >> 52) & 0x7ff) - 1023
                if precision + exponent / 3 < 15 { rounder = Double(LongDouble(rounder) + real * LongDouble(3e-16 as Double)) }
                real += LongDouble(rounder)
            }
            if real.isNaN { return Array("NaN".utf8) }
            var exponent = 0
            if real > 0 {
                var scale: LongDouble = 1
                let e100 = LongDouble(1e100 as Double)
                while real >= e100 * scale && exponent <= 350 {
                    scale *= e100
                    exponent += 100
                }
                while real >= 1e10 * scale && exponent <= 350 {
                    scale *= 1e10
                    exponent += 10
                }
                while real >= 10 * scale && exponent <= 350 {
                    scale *= 10
                    exponent += 1
                }
                real /= scale
                while real < LongDouble(1e-8 as Double) {
                    real *= 1e8
                    exponent -= 8
                }
                while real < 1 {
                    real *= 10
                    exponent -= 1
                }
                if exponent > 350 { return (sign.map { [$0] } ?? []) + Array("Inf".utf8) }
            }
            if kind != .float {
                real += LongDouble(rounder)
                if real >= 10 {
                    real *= LongDouble(0.1 as Double)
                    exponent += 1
                }
            }
            let removeTrailingZeros: Bool
            if kind == .generic {
                removeTrailingZeros = !spec.alternateForm
                if exponent < -4 || exponent > precision {
                    kind = .exponent
                } else {
                    precision -= exponent
                    kind = .float
                }
            } else {
                removeTrailingZeros = spec.alternateForm2
            }
            var e2 = kind == .exponent ? 0 : exponent
            var significantDigits = spec.alternateForm2 ? 26 : 16
            let decimalPoint = precision > 0 || spec.alternateForm || spec.alternateForm2
            if removeTrailingZeros {
                // Past the zeros after the point and the significant digits come only zeros, which go again.
                precision = Swift.min(precision, Swift.max(-(e2 + 1), 0) + significantDigits)
            }
            guard Swift.max(e2, 0) + precision <= maximumLength else { throw SQLPrintf.tooLong }
            func digit() -> UInt8 {
                guard significantDigits > 0 else { return UInt8(ascii: "0") }
                significantDigits -= 1
                let value = Int(real)
                real = (real - LongDouble(value)) * 10
                return UInt8(truncatingIfNeeded: 48 + value)
            }
            var field: [UInt8] = sign.map { [$0] } ?? []
            if e2 < 0 {
                field.append(UInt8(ascii: "0"))
            } else {
                while e2 >= 0 {
                    field.append(digit())
                    e2 -= 1
                }
            }
            if decimalPoint { field.append(UInt8(ascii: ".")) }
            e2 += 1
            while e2 < 0 {
                field.append(UInt8(ascii: "0"))
                precision -= 1
                e2 += 1
            }
            while precision > 0 {
                field.append(digit())
                precision -= 1
            }
            if removeTrailingZeros, decimalPoint {
                while field.last == UInt8(ascii: "0") { field.removeLast() }
                if field.last == UInt8(ascii: ".") {
                    if spec.alternateForm2 { field.append(UInt8(ascii: "0")) } else { field.removeLast() }
                }
            }
            if kind == .exponent {
                field.append(upper ? UInt8(ascii: "E") : UInt8(ascii: "e"))
                field.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
                let magnitude = Swift.abs(exponent)
                if magnitude >= 100 { field.append(UInt8(48 + magnitude / 100)) }
                field.append(UInt8(48 + magnitude % 100 / 10))
                field.append(UInt8(48 + magnitude % 10))
            }
            if spec.zeroPad, !spec.leftJustify, field.count < spec.width {
                field.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: spec.width - field.count), at: sign == nil ? 0 : 1)
            }
            return field
        }

        /// How many bytes the first `characters` UTF-8 characters of `text` take.
        private static func utf8Length(of characters: Int, in text: [UInt8]) -> Int {
            var end = 0
            var remaining = characters
            while remaining > 0, end < text.count {
                let lead = text[end]
                end += 1
                if lead >= 0xC0 {
                    while end < text.count, text[end] & 0xC0 == 0x80 { end += 1 }
                }
                remaining -= 1
            }
            return end
        }
    }

    private static var tooLong: ExpressionEvaluationError {
        .failed("printf() result is longer than \(maximumLength) bytes (DynamoDB's item limit)")
    }
}

/// SQLite's LONGDOUBLE_TYPE: the x87 extended double where the platform has it (SQLite on x86-64 Linux);
/// elsewhere a double, as SQLite uses on platforms whose long double is one.
#if arch(x86_64) || arch(i386)
    typealias LongDouble = Float80
#else
    typealias LongDouble = Double
#endif
