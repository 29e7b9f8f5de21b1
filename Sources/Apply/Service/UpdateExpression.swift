/// `SET #a0 = :a0, …, #v = :v REMOVE #r0, …` with every name and value as a placeholder, so attribute names
/// that are reserved words or hold odd characters need no escaping.
struct UpdateExpression {
    var text: String
    var names: [String: String] = [:]
    var values: DynamoDBItem = [:]

    /// `#v`/`:v`, the version, are the caller's to bind.
    init(set: DynamoDBItem, remove: Set<String>) {
        var assignments: [String] = []
        for (index, attribute) in set.sorted(by: { $0.key < $1.key }).enumerated() {
            names["#a\(index)"] = attribute.key
            values[":a\(index)"] = attribute.value
            assignments.append("#a\(index) = :a\(index)")
        }
        assignments.append("#v = :v")
        text = "SET " + assignments.joined(separator: ", ")
        let removals = remove.sorted().enumerated().map { index, name in
            names["#r\(index)"] = name
            return "#r\(index)"
        }
        if !removals.isEmpty { text += " REMOVE " + removals.joined(separator: ", ") }
    }
}
