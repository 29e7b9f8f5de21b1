/// The `--tables` format: `schema.table` entries separated by commas, e.g. `public.orders,dbo.Payments`.
///
/// Names are taken exactly as written, without SQL's folding to lower case: `dbo.IntegrationLogs` is the table
/// PostgreSQL stores as `IntegrationLogs`. A part holding a dot, comma or quote is written in double quotes, with
/// an inner quote doubled: `"my.schema"."odd,""name"""`. Whitespace around entries and parts is ignored.
enum TableListSyntax {
    static func parse(_ list: String) throws(TableListSyntaxError) -> [QualifiedTableName] {
        var names: [QualifiedTableName] = []
        for entry in try split(Substring(list), at: ",", entry: list) {
            let trimmed = entry.trimmingWhitespace()
            if trimmed.isEmpty { continue }  // tolerate `a.b,,c.d` and a trailing comma
            let parts = try split(trimmed, at: ".", entry: String(trimmed))
            guard parts.count == 2 else {
                throw TableListSyntaxError(
                    entry: String(trimmed),
                    reason: parts.count == 1 ? "the schema is missing" : "it has more than one unquoted dot")
            }
            names.append(
                QualifiedTableName(
                    schema: try identifier(parts[0], entry: trimmed), name: try identifier(parts[1], entry: trimmed)))
        }
        return names
    }

    /// Splits at `separator` where it is outside double quotes.
    private static func split(
        _ text: Substring, at separator: Character, entry: String
    ) throws(TableListSyntaxError) -> [Substring] {
        var pieces: [Substring] = []
        var start = text.startIndex
        var inQuotes = false
        for index in text.indices {
            if text[index] == "\"" {
                inQuotes.toggle()  // a doubled quote toggles twice, so it never ends the quoted part
            } else if text[index] == separator, !inQuotes {
                pieces.append(text[start..<index])
                start = text.index(after: index)
            }
        }
        guard !inQuotes else { throw TableListSyntaxError(entry: entry, reason: "a double quote is not closed") }
        pieces.append(text[start...])
        return pieces
    }

    /// One schema or table name: `Payments` as is, `"odd""name"` unquoted.
    private static func identifier(_ part: Substring, entry: Substring) throws(TableListSyntaxError) -> String {
        let text = part.trimmingWhitespace()
        guard !text.isEmpty else { throw TableListSyntaxError(entry: String(entry), reason: "a name is empty") }
        guard text.first == "\"" else {
            guard !text.contains("\"") else {
                throw TableListSyntaxError(entry: String(entry), reason: "quotes must surround the whole name")
            }
            return String(text)
        }
        guard text.count >= 2, text.last == "\"" else {
            throw TableListSyntaxError(entry: String(entry), reason: "quotes must surround the whole name")
        }
        let inner = text.dropFirst().dropLast()
        let unescaped = inner.replacing("\"\"", with: "\"")
        guard !unescaped.isEmpty, !inner.replacing("\"\"", with: "").contains("\"") else {
            throw TableListSyntaxError(entry: String(entry), reason: "a quoted name is empty or has an undoubled quote")
        }
        return String(unescaped)
    }
}

/// A `--tables` entry that is not `schema.table`.
public struct TableListSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var entry: String
    public var reason: String

    public var description: String {
        "--tables: cannot read '\(entry)': \(reason). Write schema.table entries separated by commas, "
            + "e.g. public.orders,dbo.Payments (double-quote a name that holds a dot, comma or quote)."
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        var text = self
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
