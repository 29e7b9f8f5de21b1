/// The INI dialect of the AWS shared config and credentials files: `[section]` headers, `key = value` lines,
/// whole-line `#` and `;` comments. Indented lines continue the previous key (nested settings such as
/// `s3 =` blocks) and are skipped: every setting Ferry reads is flat. Keys are case-insensitive.
struct AWSINIFile: Sendable, Hashable {
    /// Section name (as written between the brackets, trimmed) → lower-cased key → value.
    private(set) var sections: [String: [String: String]] = [:]

    init(parsing text: String) {
        var currentSection: String?
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            let line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                let name = String(line.dropFirst().dropLast()).trimmingWhitespace()
                currentSection = name
                if sections[name] == nil { sections[name] = [:] }
                continue
            }
            let isContinuation = rawLine.first == " " || rawLine.first == "\t"
            guard let section = currentSection, !isContinuation,
                  let equals = line.firstIndex(of: "=")
            else { continue }
            let key = line[..<equals].trimmingWhitespace().lowercased()
            let value = line[line.index(after: equals)...].trimmingWhitespace()
            guard !key.isEmpty else { continue }
            sections[section, default: [:]][key] = value
        }
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
