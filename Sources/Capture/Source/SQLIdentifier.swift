/// Quoting for identifiers in the SQL that Ferry builds. Every schema, table, column and role name goes through
/// `quote`, so names keep their exact case and cannot break out of the statement, whatever characters they hold.
public enum SQLIdentifier {
    /// `Payments` → `"Payments"`, `odd"name` → `"odd""name"` (PostgreSQL doubles an embedded quote).
    public static func quote(_ name: String) -> String {
        "\"" + name.replacing("\"", with: "\"\"") + "\""
    }

    /// `MyPub` → `'"MyPub"'`: one name as a string option read as a list of identifiers (`publication_names`,
    /// split by PostgreSQL's SplitIdentifierString, which folds an unquoted name to lowercase).
    public static func identifierListLiteral(_ name: String) -> String {
        "'" + quote(name).replacing("'", with: "''") + "'"
    }

    /// `"dbo"."Payments"`.
    public static func quote(schema: String, name: String) -> String {
        quote(schema) + "." + quote(name)
    }
}
