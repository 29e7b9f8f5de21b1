import Apply

/// A DynamoDB number reduced to what it means: sign, significant digits (no leading or trailing zeros) and
/// order of magnitude. DynamoDB answers with its own spelling of a number (`1.50` comes back as `1.5`, `1E+2` as
/// `100`), so comparing the text would report differences that are not there; comparing normal forms does not,
/// and still tells `10.50` from `10.51`.
struct DecimalNormalForm: Hashable {
    var isNegative: Bool
    /// From the first to the last non-zero digit; empty for zero.
    var significantDigits: String
    /// The power of ten of the first significant digit (`DynamoDBNumber.exponent`); 0 for zero.
    var exponent: Int

    /// Nil unless `text` is a number in JSON syntax, as DynamoDB writes and takes them.
    init?(_ text: String) {
        guard let number = DynamoDBNumber(text) else { return nil }
        let mantissa = text.prefix { $0 != "e" && $0 != "E" }
        let digits = mantissa.filter(\.isWholeNumber).drop { $0 == "0" }
        significantDigits = String(digits.reversed().drop { $0 == "0" }.reversed())
        exponent = number.exponent
        // -0 is 0.
        isNegative = text.hasPrefix("-") && !significantDigits.isEmpty
    }
}
