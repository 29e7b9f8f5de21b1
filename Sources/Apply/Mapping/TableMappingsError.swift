/// Why a table-mappings.json was refused, naming the rule at fault as DMS users know it: by its rule-id.
public struct TableMappingsError: Error, Hashable, CustomStringConvertible {
    /// The rule at fault; nil when the document as a whole is wrong.
    public var rule: RuleReference?
    public var problem: String

    public init(rule: RuleReference?, problem: String) {
        self.rule = rule
        self.problem = problem
    }

    public var description: String {
        guard let rule else { return "table mappings: \(problem)" }
        return "table mappings, \(rule): \(problem)"
    }
}

/// How an error names a rule: by its rule-id, or by its position when it has none.
public enum RuleReference: Sendable, Hashable, CustomStringConvertible {
    case id(String)
    /// 1-based position in the `rules` array.
    case position(Int)

    public var description: String {
        switch self {
        case .id(let id): "rule-id \(id)"
        case .position(let position): "rule #\(position) (no rule-id)"
        }
    }
}
