extension TableDescription {
    /// The table's key schema as the mapping uses it: partition key, then sort key, each with its type.
    public var keyAttributes: [KeyAttribute] {
        let types = Dictionary(attributeDefinitions.map { ($0.attributeName, $0.attributeType) }, uniquingKeysWith: { $1 })
        let ordered = keySchema.filter { $0.keyType == .hash } + keySchema.filter { $0.keyType == .range }
        return ordered.map { element in
            KeyAttribute(
                name: element.attributeName,
                type: types[element.attributeName].flatMap { KeyAttribute.ValueType(rawValue: $0.rawValue) } ?? .string)
        }
    }
}
