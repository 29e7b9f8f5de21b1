/// A column value whose PostgreSQL text output does not have the form its type promises.
public struct PostgresValueError: Error, Hashable, CustomStringConvertible {
    /// The type as shown in records, e.g. `int4[]`.
    public var typeName: String
    /// The offending value, cut to its first `maximumTextLength` bytes (a bad `bytea` can be huge).
    public var text: String
    public var reason: String

    public static let maximumTextLength = 200

    init(typeName: String, text: UnsafeRawBufferPointer, reason: String) {
        self.typeName = typeName
        let shown = UnsafeRawBufferPointer(rebasing: text.prefix(Self.maximumTextLength))
        self.text = String(decoding: shown, as: UTF8.self) + (text.count > shown.count ? "…" : "")
        self.reason = reason
    }

    /// For a value in binary format, shown as hex bytes (`\x00ff`), cut like text.
    init(typeName: String, binary: UnsafeRawBufferPointer, reason: String) {
        self.typeName = typeName
        let shown = binary.prefix(Self.maximumTextLength / 2)
        text = #"\x"# + shown.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
            + (binary.count > shown.count ? "…" : "")
        self.reason = reason
    }

    public var description: String {
        "invalid \(typeName) value \"\(text)\": \(reason)"
    }
}

/// The reason a scalar or array text is malformed; `PostgresTextValue` adds the type and the text.
struct InvalidPostgresText: Error {
    let reason: String
}
