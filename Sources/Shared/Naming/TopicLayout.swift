/// Every topic name of one pipeline, derived from its prefix: the one home of the naming rule
/// (docs/design.md, "The change record" → Topic).
///
/// - A table's topic is `<prefix>.<schema>.<table>`, each name written as a *segment*: ASCII letters, digits, `_`
///   and `-` stay as they are; every other byte of the name's UTF-8 (`.`, a space, non-ASCII) becomes `-xx` (two
///   lowercase hex digits), and so does a `-` that two lowercase hex digits follow. Ordinary names keep their
///   Debezium-style topic; every name gets one Kafka accepts (up to its length limit), and the rule is injective.
/// - A schema named exactly `ferry` is written `-66erry`: the segment `ferry` after the prefix names Ferry's own
///   topics (`<prefix>.ferry.state`, `<prefix>.ferry.dlq`) and never a table.
/// - A table topic has exactly two segments after the prefix, so the topics of a prefix `a.b` are never read as
///   tables of a prefix `a`.
public struct TopicLayout: Sendable, Hashable {
    /// Kafka's limit on a topic name's length.
    public static let maximumTopicLength = 249
    /// The segment after the prefix that marks Ferry's own topics.
    static let ownSegment = "ferry"

    public let prefix: String

    public init(prefix: String) {
        self.prefix = prefix
    }

    /// The topic of table `schema.table`.
    public func tableTopic(schema: String, table: String) -> String {
        let schemaSegment = schema == Self.ownSegment ? "-66" + schema.dropFirst() : Self.segment(schema)
        return "\(prefix).\(schemaSegment).\(Self.segment(table))"
    }

    /// Capture's snapshot bookkeeping (compacted).
    public var stateTopic: String { "\(prefix).\(Self.ownSegment).state" }

    /// Apply's dead letters.
    public var deadLetterTopic: String { "\(prefix).\(Self.ownSegment).dlq" }

    /// The schema and table whose topic `topic` is, when it is a table topic of this prefix (exactly as
    /// `tableTopic` writes it); nil for Ferry's own topics, other prefixes' topics and anything else.
    public func table(ofTopic topic: String) -> (schema: String, table: String)? {
        guard topic.hasPrefix(prefix + ".") else { return nil }
        let segments = topic.dropFirst(prefix.count + 1).split(separator: ".", omittingEmptySubsequences: false)
        guard segments.count == 2, segments[0] != Self.ownSegment,
            let schema = Self.name(ofSegment: segments[0]), let table = Self.name(ofSegment: segments[1]),
            tableTopic(schema: schema, table: table) == topic
        else { return nil }
        return (schema, table)
    }

    public func isTableTopic(_ topic: String) -> Bool {
        table(ofTopic: topic) != nil
    }

    /// The topics `schema.table`, as a user types it, may mean: the name split at each of its dots (a dot may
    /// belong to either name).
    public func tableTopics(named qualified: String) -> [String] {
        TableTopicNaming.splits(of: qualified).map { tableTopic(schema: $0.schema, table: $0.table) }
    }

    /// The table topics of this prefix as a POSIX extended regular expression (librdkafka subscribes with `^…`
    /// patterns): two dot-free segments after the prefix, the first not `ferry` (no lookahead, so spelled out).
    /// It may match a name `tableTopic` never writes; consumers check each topic with `isTableTopic` again.
    public var subscription: String {
        let escaped = prefix.map { character in
            "\\^$.|?*+()[]{}".contains(character) ? "\\\(character)" : String(character)
        }.joined()
        let notFerry = "(([^.f]|f[^.e]|fe[^.r]|fer[^.r]|ferr[^.y]|ferry[^.])[^.]*|f|fe|fer|ferr)"
        return "^\(escaped)\\.\(notFerry)\\.[^.]+$"
    }

    /// Why Kafka would refuse this prefix's topics whatever the tables, or nil when it is usable.
    public var prefixProblem: String? {
        if prefix.isEmpty { return "the prefix is empty" }
        if let bad = prefix.unicodeScalars.first(where: { !Self.isTopicCharacter($0) }) {
            return "the prefix contains '\(bad)'; Kafka topic names allow only ASCII letters, digits, '.', '_' and '-'"
        }
        let longest = max(stateTopic.utf8.count, deadLetterTopic.utf8.count)
        if longest > Self.maximumTopicLength {
            return "the prefix is \(prefix.utf8.count) characters long; Ferry's topics would exceed Kafka's limit of "
                + "\(Self.maximumTopicLength) characters"
        }
        return nil
    }

    // MARK: Segments

    /// `orders` → `orders`, `Order Details` → `Order-20Details`, `a.b` → `a-2eb`, `x-1f` → `x-2d1f`.
    static func segment(_ name: String) -> String {
        let bytes = Array(name.utf8)
        var segment = ""
        segment.reserveCapacity(bytes.count)
        for (index, byte) in bytes.enumerated() {
            if isKept(byte) || (byte == UInt8(ascii: "-") && escapedByte(bytes[(index + 1)...]) == nil) {
                segment.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                segment += "-" + [byte].hexEncodedString
            }
        }
        return segment
    }

    /// The name a segment was written from, or nil when it is not one `segment` writes.
    static func name<Segment: StringProtocol>(ofSegment segment: Segment) -> String? {
        let bytes = Array(segment.utf8)
        var name: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "-"), let escaped = escapedByte(bytes[(index + 1)...]) {
                name.append(escaped)
                index += 3
            } else if isKept(byte) || byte == UInt8(ascii: "-") {
                name.append(byte)
                index += 1
            } else {
                return nil
            }
        }
        return String(validating: name, as: UTF8.self)
    }

    private static func isKept(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"):
            true
        default: false
        }
    }

    /// The byte that two lowercase hex digits at the start of `rest` spell: a `-` before them is an escape.
    private static func escapedByte(_ rest: ArraySlice<UInt8>) -> UInt8? {
        guard rest.count >= 2, let high = hexValue(rest[rest.startIndex]), let low = hexValue(rest[rest.startIndex + 1])
        else { return nil }
        return high << 4 | low
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    private static func isTopicCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (isKept(UInt8(scalar.value)) || scalar == "." || scalar == "-")
    }
}
