/// Why `ferry replay` will not move a group. Each message says what to do instead.
public enum ReplayError: Error, Hashable, CustomStringConvertible {
    /// The group has members (the count when the coordinator said; nil when the broker refused the move): moving
    /// its offsets under them would be overwritten by their next commit.
    case groupActive(group: String, members: Int?)
    /// The prefix has no table topics (or none of the named tables).
    case noTopics(prefix: String, tables: [String])
    /// `--tables` names a table the prefix has no topic for.
    case unknownTables([String], prefix: String)
    /// No position flag was given.
    case noPosition

    public var description: String {
        switch self {
        case .groupActive(let group, let members):
            "group \(group) has active members" + (members.map { " (\($0))" } ?? " (the broker refused the move)")
                + ": stop its `ferry apply` processes first, then replay (--force skips Ferry's own check, not the broker's)"
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
