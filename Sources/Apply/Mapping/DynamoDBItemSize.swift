// DynamoDB's item-size rules ("DynamoDB item sizes and formats" in the Developer Guide), so apply can turn
// away an item over 400 KB before a BatchWriteItem fails on it:
//  - string: UTF-8 bytes; binary: raw bytes; null and Boolean: 1 byte;
//  - number: 1 byte per two significant digits (leading and trailing zeros trimmed) + 1 byte;
//  - list and map: 3 bytes + 1 byte per element + the elements (a map element counts its name too);
//  - each top-level attribute adds the UTF-8 length of its name.
// Sets are counted as the sum of their elements, the rule the guide gives for scalars.

extension DynamoDBAttributeValue {
    /// The size DynamoDB counts for this value, without the attribute name.
    public var approximateSize: Int {
        switch self {
        case .s(let text): text.utf8.count
        case .n(let number): Self.numberSize(number)
        case .b(let bytes): bytes.count
        case .bool, .null: 1
        case .m(let map): 3 + map.reduce(0) { $0 + 1 + $1.key.utf8.count + $1.value.approximateSize }
        case .l(let list): 3 + list.reduce(0) { $0 + 1 + $1.approximateSize }
        case .ss(let strings): strings.reduce(0) { $0 + $1.utf8.count }
        case .ns(let numbers): numbers.reduce(0) { $0 + Self.numberSize($1) }
        case .bs(let binaries): binaries.reduce(0) { $0 + $1.count }
        }
    }

    private static func numberSize(_ text: String) -> Int {
        let digits = DynamoDBNumber(text)?.significantDigitCount ?? text.utf8.count
        return (digits + 1) / 2 + 1
    }
}

extension Dictionary where Key == String, Value == DynamoDBAttributeValue {
    /// The size DynamoDB counts for this item: every attribute's name and value. Compare it with
    /// `DynamoDBAttributeValue.maximumItemSize`.
    public var approximateDynamoDBSize: Int {
        reduce(0) { $0 + $1.key.utf8.count + $1.value.approximateSize }
    }
}
