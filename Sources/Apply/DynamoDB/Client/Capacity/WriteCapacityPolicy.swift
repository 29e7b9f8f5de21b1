/// How fast apply may spend a table's write capacity (`--max-write-capacity`, `--write-capacity`).
public struct WriteCapacityPolicy: Sendable, Hashable {
    /// Write capacity units per second each table may take, unless `perTable` names it; nil: no ceiling.
    public var maximum: Double?
    /// Ceilings of single tables, by DynamoDB table name.
    public var perTable: [String: Double]
    /// Whether to find each table's rate from its throttling answers (below any ceiling).
    public var adaptive: Bool

    public init(maximum: Double? = nil, perTable: [String: Double] = [:], adaptive: Bool = false) {
        self.maximum = maximum
        self.perTable = perTable
        self.adaptive = adaptive
    }

    /// From `--max-write-capacity` values: `N` (every table) or `TABLE=N` (that table), N a positive number of
    /// write capacity units per second.
    public init(maximums arguments: [String], adaptive: Bool) throws(WriteCapacityArgumentError) {
        self.init(adaptive: adaptive)
        for argument in arguments {
            let table: String?
            let number: Substring
            if let equals = argument.lastIndex(of: "=") {
                table = String(argument[..<equals])
                number = argument[argument.index(after: equals)...]
            } else {
                (table, number) = (nil, argument[...])
            }
            guard let units = Double(number), units.isFinite, units > 0, table?.isEmpty != true else {
                throw WriteCapacityArgumentError(argument: argument)
            }
            if let table { perTable[table] = units } else { maximum = units }
        }
    }

    /// No ceiling and no adaptation: writes go out as fast as the writers send them.
    public static let unlimited = WriteCapacityPolicy()

    public var isUnlimited: Bool { maximum == nil && perTable.isEmpty && !adaptive }

    func maximum(for table: String) -> Double? { perTable[table] ?? maximum }
}

/// A `--max-write-capacity` value that is neither `N` nor `TABLE=N` with a positive N.
public struct WriteCapacityArgumentError: Error, CustomStringConvertible {
    public let argument: String

    public var description: String {
        "--max-write-capacity \(argument): expected N or TABLE=N, N a positive number of write capacity units per second"
    }
}
