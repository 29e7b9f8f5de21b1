/// Why `ferry replay` will not move a group. Each message says what to do instead.
public enum ReplayError: Error, Hashable, CustomStringConvertible {
    /// The group has members: moving its offsets under them would be overwritten by their next commit.
    case groupActive(group: String, members: Int)
    /// The prefix has no table topics (or none of the named tables).
    case noTopics(prefix: String, tables: [String])
    /// `--tables` names a table the prefix has no topic for.
    case unknownTables([String], prefix: String)
    /// No position flag was given.
    case noPosition

    public var description: String {
        switch self {
        case .groupActive(let group, let members):
            "group \(group) has \(members) active member(s): stop its `ferry apply` processes first (or give --force; "
                + "the broker may still refuse to move the offsets of a group with members)"
        case .noTopics(let prefix, let tables):
            tables.isEmpty
                ? "no table topics \(prefix).<schema>.<table> on the broker"
                : "no topics for \(tables.joined(separator: ", ")) under prefix \(prefix)"
        case .unknownTables(let tables, let prefix):
            "no topic for " + tables.map { "\(prefix).\($0)" }.joined(separator: ", ")
        case .noPosition:
            "say where to move the group: --from-beginning, --offset P:O, --since DURATION or --at TIME"
        }
    }
}
