/// ANSI colours for people at a terminal; plain text everywhere else (pipes, files, `NO_COLOR`).
public struct TerminalStyle: Sendable, Hashable {
    public enum Colour: String, Sendable {
        case red = "31", green = "32", yellow = "33", blue = "34", magenta = "35", cyan = "36"
        case bold = "1", dim = "2"
    }

    public var isEnabled: Bool

    public init(isEnabled: Bool) {
        self.isEnabled = isEnabled
    }

    public static let plain = TerminalStyle(isEnabled: false)

    /// Colour when writing to a terminal, unless `NO_COLOR` is set to anything non-empty (no-color.org).
    public static func forOutput(isTerminal: Bool, noColor: String?) -> TerminalStyle {
        TerminalStyle(isEnabled: isTerminal && (noColor ?? "").isEmpty)
    }

    public func paint(_ text: String, _ colours: Colour...) -> String {
        guard isEnabled, !colours.isEmpty else { return text }
        return "\u{1B}[" + colours.map(\.rawValue).joined(separator: ";") + "m" + text + "\u{1B}[0m"
    }
}
