/// A table's schema and name exactly as PostgreSQL stores them (`dbo` / `IntegrationLogs`): no case folding.
public struct QualifiedTableName: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var schema: String
    public var name: String

    public init(schema: String, name: String) {
        self.schema = schema
        self.name = name
    }

    /// `dbo.IntegrationLogs`: how users write it on the command line and read it in messages.
    public var description: String { "\(schema).\(name)" }

    /// `"dbo"."IntegrationLogs"`: for SQL.
    public var quoted: String { SQLIdentifier.quote(schema: schema, name: name) }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.schema, lhs.name) < (rhs.schema, rhs.name)
    }
}
