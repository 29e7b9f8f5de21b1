import Apply

/// Values apply's limited LOB mode cut: the item names them in its truncation attribute (a string set), and each
/// holds the first bytes of the source's value. Such a value is no difference; any other value of a named
/// attribute still is.
enum TruncatedValues {
    /// The attribute names `item` lists as cut in `attribute` (none when nil or absent).
    static func names(in item: DynamoDBItem, attribute: String?) -> Set<String> {
        guard let attribute, case .ss(let names)? = item[attribute] else { return [] }
        return Set(names)
    }

    /// Whether the values limited LOB mode cut (`cut`, the names the item lists) account for the whole difference:
    /// the attribute is listed and cut short, or it is a map (the document of a record-to-document mapping) whose
    /// members differ only where `<attribute>.<member>` is listed and cut short.
    static func explain(_ difference: AttributeDifference, cut: Set<String>) -> Bool {
        if cut.contains(difference.name) { return isCut(source: difference.source, target: difference.target) }
        guard case .m(let source)? = difference.source, case .m(let target)? = difference.target else { return false }
        return Set(source.keys).union(target.keys).allSatisfy { member in
            switch (source[member], target[member]) {
            case (let whole?, let stored?) where AttributeEquivalence.equivalent(whole, stored): true
            case (let whole, let stored):
                cut.contains("\(difference.name).\(member)") && isCut(source: whole, target: stored)
            }
        }
    }

    /// `target` is `source` cut short: the first bytes of the text (UTF-8) or binary value, and fewer of them.
    static func isCut(source: DynamoDBAttributeValue?, target: DynamoDBAttributeValue?) -> Bool {
        switch (source, target) {
        case (.s(let whole)?, .s(let cut)?): cut.utf8.count < whole.utf8.count && whole.utf8.starts(with: cut.utf8)
        case (.b(let whole)?, .b(let cut)?): cut.count < whole.count && whole.starts(with: cut)
        default: false
        }
    }
}
