/// The format of `COPY ... TO STDOUT` output: text (tab-separated, backslash-escaped, each type's output function)
/// or binary (length-prefixed fields, each type's send function).
public enum PostgresCopyFormat: Sendable, Hashable {
    case text, binary

    /// The option list that asks for this format, with its leading space; empty for text, the default.
    public var statementOptions: String {
        switch self {
        case .text: ""
        case .binary: " (FORMAT binary)"
        }
    }
}
