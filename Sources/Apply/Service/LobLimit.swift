import Shared

/// DMS's limited LOB mode (`TargetMetadata.LimitedSizeLobMode` with `LobMaxSize`): the values of large-object
/// columns longer than the limit are cut to it. PostgreSQL's large-object types as DMS counts them are `text`,
/// `xml` and `bytea` (and unbounded `varchar`, which the record's `types` map does not tell apart from `varchar(n)`,
/// so it is not cut). Apply cuts, not capture: the topics keep every whole value, so a replay with a larger limit
/// (or none) writes them whole.
struct LobLimit: Sendable {
    let maximumBytes: Int

    static let lobTypes: Set<String> = ["text", "xml", "bytea"]

    /// Cuts the LOB values of `record`'s `after` longer than the limit (never a key column: the item key would
    /// change); returns the columns cut.
    func cut(_ record: inout ChangeRecord) -> [String] {
        guard var after = record.after else { return [] }
        var cut: [String] = []
        for type in record.types where Self.lobTypes.contains(type.typeName) && record.key?[type.column] == nil {
            guard case .string(let text)? = after[type.column] else { continue }
            let shortened = type.typeName == "bytea" ? cutBytea(text) : cutText(text)
            if let shortened {
                after[type.column] = .string(shortened)
                cut.append(type.column)
            }
        }
        if !cut.isEmpty { record.after = after }
        return cut
    }

    /// The text's first `maximumBytes` bytes of UTF-8, ending at a character boundary; nil if it fits.
    func cutText(_ text: String) -> String? {
        guard text.utf8.count > maximumBytes else { return nil }
        var bytes = 0
        var end = text.unicodeScalars.startIndex
        for index in text.unicodeScalars.indices {
            bytes += text.unicodeScalars[index].utf8.count
            guard bytes <= maximumBytes else { break }
            end = text.unicodeScalars.index(after: index)
        }
        return String(text.unicodeScalars[..<end])
    }

    /// A bytea value (base64 in the record) of its first `maximumBytes` bytes; nil if it fits (or is not base64).
    func cutBytea(_ base64: String) -> String? {
        guard base64.utf8.count >= (maximumBytes + 2) / 3 * 4, let bytes = Base64.decode(base64), bytes.count > maximumBytes
        else { return nil }
        return Base64.encode(bytes.prefix(maximumBytes))
    }
}

/// What limited LOB mode cut in one table of a batch: logged once per batch.
struct LobCuts: Sendable, Hashable {
    var columns: Set<String> = []
    var records = 0
}
