import Shared

/// The keys each kind of rule defines (the DMS guide's table-mapping reference, DynamoDB target), so that a key
/// no rule reads — `sort-key` for `sort-key-name` — is reported instead of silently doing nothing.
struct RuleKeys {
    enum Child {
        /// A value whose inside is not checked (a filter list, a DynamoDB JSON template).
        case value
        case object(RuleKeys)
        /// An array of objects of this shape.
        case objects(RuleKeys)
    }

    let children: [String: Child]

    private static let common: [String: Child] = [
        "rule-type": .value, "rule-id": .value, "rule-name": .value, "rule-action": .value,
    ]

    /// The shape of a rule of `ruleType`; nil for a type with no shape here (refused elsewhere, or another's).
    static func of(ruleType: String) -> RuleKeys? {
        switch ruleType {
        case "selection":
            RuleKeys(children: common.merging([
                "object-locator": .object(RuleKeys(children: ["schema-name": .value, "table-name": .value, "table-type": .value])),
                "filters": .value, "load-order": .value,
            ]) { $1 })
        case "transformation":
            RuleKeys(children: common.merging([
                "rule-target": .value, "value": .value, "old-value": .value, "expression": .value,
                "before-image-def": .value, "primary-key-def": .value,
                "object-locator": .object(RuleKeys(children: [
                    "schema-name": .value, "table-name": .value, "column-name": .value, "data-type": .value,
                    "table-tablespace-name": .value, "index-tablespace-name": .value,
                ])),
                "data-type": .object(dataType),
            ]) { $1 })
        case "table-settings":
            RuleKeys(children: common.merging([
                "object-locator": .object(RuleKeys(children: ["schema-name": .value, "table-name": .value])),
                "parallel-load": .object(RuleKeys(children: [
                    "type": .value, "columns": .value, "boundaries": .value, "partitions": .value, "subpartitions": .value,
                    "number-of-partitions": .value, "collection-count-from-metadata": .value,
                    "max-records-skip-per-page": .value, "batch-size": .value,
                ])),
                "lob-settings": .object(RuleKeys(children: ["mode": .value, "bulk-max-size": .value])),
            ]) { $1 })
        case "object-mapping":
            RuleKeys(children: common.merging([
                // DMS's LoanApp example puts `"rule-target": "table"` on object-mapping rules.
                "rule-target": .value, "target-table-name": .value,
                "object-locator": .object(RuleKeys(children: ["schema-name": .value, "table-name": .value])),
                "mapping-parameters": .object(RuleKeys(children: [
                    "partition-key-name": .value, "sort-key-name": .value, "exclude-columns": .value,
                    "attribute-mappings": .objects(RuleKeys(children: [
                        "target-attribute-name": .value, "attribute-type": .value, "attribute-sub-type": .value,
                        "value": .value,
                    ])),
                    "condition-expression": .object(RuleKeys(children: [
                        "expression": .value, "expression-attribute-values": .value,
                        "expression-attribute-names": .value,
                    ])),
                ])),
            ]) { $1 })
        default:
            nil
        }
    }

    /// A column's `data-type` (add-column, change-data-type).
    static let dataType = RuleKeys(children: ["type": .value, "length": .value, "precision": .value, "scale": .value])

    /// One message per key of `object` (and of the objects inside it) that its shape does not define, naming the
    /// rule, the key's path and the nearest defined key.
    func unknownKeys(in object: JSONObject, rule: RuleReference, path: String = "") -> [String] {
        var messages: [String] = []
        for field in object.fields {
            switch children[field.name] {
            case nil:
                let suggestion = nearest(to: field.name).map { "; did you mean '\(path)\($0)'?" } ?? ""
                messages.append("\(rule): '\(path)\(field.name)' is not a key of this rule and is ignored\(suggestion)")
            case .object(let shape)?:
                if case .object(let nested) = field.value {
                    messages += shape.unknownKeys(in: nested, rule: rule, path: path + field.name + ".")
                }
            case .objects(let shape)?:
                if case .array(let elements) = field.value {
                    for (index, element) in elements.enumerated() {
                        guard case .object(let nested) = element else { continue }
                        messages += shape.unknownKeys(in: nested, rule: rule, path: "\(path)\(field.name)[\(index)].")
                    }
                }
            case .value?:
                continue
            }
        }
        return messages
    }

    /// The defined key `name` most likely meant: one containing it or contained in it (`sort-key` for
    /// `sort-key-name`), else one a typo or two away.
    private func nearest(to name: String) -> String? {
        let wanted = name.lowercased()
        let ranked: [(rank: Int, key: String)] = children.keys.compactMap { key in
            let text = key.lowercased()
            if text == wanted { return (0, key) }
            if wanted.count >= 3, text.contains(wanted) || wanted.contains(text) { return (1, key) }
            let allowance = max(2, wanted.count / 4)
            let distance = EditDistance.between(Array(text), Array(wanted), giveUpAbove: allowance)
            return distance <= allowance ? (1 + distance, key) : nil
        }
        return ranked.min { ($0.rank, $0.key) < ($1.rank, $1.key) }?.key
    }
}
