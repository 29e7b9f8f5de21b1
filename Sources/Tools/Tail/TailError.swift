/// Why `ferry tail` cannot start: a target that names nothing, or an option it cannot read. Each case says what
/// was given and what was expected, so the message alone tells the operator what to fix.
public enum TailError: Error, Hashable, CustomStringConvertible {
    /// `target` is neither a topic, nor `schema.table` under the prefix, nor a prefix with table topics.
    case unknownTarget(String, prefix: String?, nearMatches: [String])
    /// `--offset` names a partition that none of the resolved topics has.
    case unknownPartition(Int32, topics: [String])
    case invalidOption(flag: String, value: String, expected: String)
    /// Two options that cannot be combined, e.g. `--since` and `--from-beginning`.
    case conflictingOptions([String])

    public var description: String {
        switch self {
        case .unknownTarget(let target, let prefix, let nearMatches):
            let tried =
                prefix.map { "no topic \(target) or \($0).\(target), and no table topics \(target).<schema>.<table>" }
                ?? "no topic \(target) and no table topics \(target).<schema>.<table> (for schema.table give --prefix)"
            let hint = nearMatches.isEmpty ? "" : "; did you mean " + nearMatches.joined(separator: ", ") + "?"
            return tried + hint
        case .unknownPartition(let partition, let topics):
            return "--offset names partition \(partition), which \(topics.joined(separator: ", ")) do not have"
        case .invalidOption(let flag, let value, let expected):
            return "\(flag) '\(value)': expected \(expected)"
        case .conflictingOptions(let flags):
            return "give at most one of " + flags.joined(separator: ", ")
        }
    }
}
