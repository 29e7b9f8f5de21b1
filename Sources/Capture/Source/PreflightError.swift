/// Why capture cannot start, worded for the user who reads it first: what is wrong and the exact fix.
public enum PreflightError: Error, CustomStringConvertible {
    /// No session could be opened: nothing else could be checked.
    case cannotConnect(ConnectionFailure)
    /// The server or the selected tables need changes first; every problem found, not only the first.
    case notReady(source: String, problems: [PreflightProblem])
    /// A catalog query failed or answered something unexpected (`PostgresError` or `CatalogError`).
    case catalogUnreadable(source: String, underlying: any Error)

    public var description: String {
        switch self {
        case .cannotConnect(let failure):
            return failure.description
        case .notReady(let source, let problems):
            let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
            return "Cannot capture from \(source) yet; fix \(count) first:\n" + PreflightProblem.numberedList(problems)
        case .catalogUnreadable(let source, let underlying):
            return "Cannot read the catalog of \(source): \(underlying)"
        }
    }

    /// The problems found, when the server was reachable.
    public var problems: [PreflightProblem] {
        if case .notReady(_, let problems) = self { problems } else { [] }
    }
}
