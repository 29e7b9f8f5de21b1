import Apply

/// Where the item a PostgreSQL row maps to and the item DynamoDB holds under its key disagree, attribute by
/// attribute.
public enum ItemComparison {
    /// The attributes that differ, in name order: present on one side only, or with values that are not
    /// equivalent (`AttributeEquivalence`). `ignored` names attributes apply adds itself, such as the version.
    public static func differences(
        expected: DynamoDBItem, stored: DynamoDBItem, ignoring ignored: Set<String>
    ) -> [AttributeDifference] {
        Set(expected.keys).union(stored.keys).subtracting(ignored).sorted().compactMap { name in
            switch (expected[name], stored[name]) {
            case (let source?, let target?) where AttributeEquivalence.equivalent(source, target): nil
            case (let source, let target): AttributeDifference(name: name, source: source, target: target)
            }
        }
    }
}
