/// librdkafka properties, passed through as given (`-X key=value`), so users can set TLS, SASL or tuning.
public struct KafkaConfiguration: Sendable, CustomStringConvertible {
    public private(set) var properties: [String: String]
    /// Where SASL/OAUTHBEARER tokens come from, for `sasl.mechanism=OAUTHBEARER` (e.g. Amazon MSK IAM); every
    /// client made with this configuration asks it for its tokens.
    public var oauthBearerTokenSource: (any KafkaOAuthBearerTokenSource)?

    public init(brokers: String, _ properties: [String: String] = [:]) {
        self.properties = ["bootstrap.servers": brokers].merging(properties) { _, given in given }
    }

    public subscript(key: String) -> String? {
        get { properties[key] }
        set { properties[key] = newValue }
    }

    /// Applies `key=value` overrides (the CLI's `-X`); throws on an entry without `=`.
    public mutating func apply(overrides: [String]) throws {
        for entry in overrides {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                throw KafkaError(code: .invalidConfiguration, message: "expected key=value, got '\(entry)'")
            }
            properties[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
        }
    }

    /// Applies a Java-style properties file: `key=value` lines; blank lines and lines starting with `#` or `!` are
    /// skipped; spaces around key and value are trimmed. Throws naming the line of an entry without `=`.
    public mutating func apply(propertiesFile text: String, path: String) throws {
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingBlanks
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("!") { continue }
            guard let equals = line.firstIndex(of: "="), equals != line.startIndex else {
                throw KafkaError(code: .invalidConfiguration, message: "\(path) line \(index + 1): expected key=value")
            }
            properties[String(line[..<equals].trimmingBlanks)] = String(line[line.index(after: equals)...].trimmingBlanks)
        }
    }

    /// Sets `key` only when the user did not.
    public func withDefault(_ key: String, _ value: String) -> KafkaConfiguration {
        var copy = self
        if copy.properties[key] == nil { copy.properties[key] = value }
        return copy
    }

    /// Without these properties (the token source stays).
    public func removing(_ keys: Set<String>) -> KafkaConfiguration {
        var copy = self
        copy.properties = properties.filter { !keys.contains($0.key) }
        return copy
    }

    /// librdkafka's default `sasl.mechanism`.
    static let defaultSASLMechanism = "GSSAPI"

    /// The SASL mechanism the clients offer (`sasl.mechanism`, or its alias `sasl.mechanisms`).
    var saslMechanism: String {
        properties["sasl.mechanism"] ?? properties["sasl.mechanisms"] ?? Self.defaultSASLMechanism
    }

    /// The properties with secrets (passwords, keys, tokens) masked: safe for logs.
    public var description: String {
        properties.keys.sorted().map { key in
            "\(key)=\(Self.isSecret(key) ? "<redacted>" : properties[key] ?? "")"
        }.joined(separator: " ")
    }

    static func isSecret(_ key: String) -> Bool {
        ["password", "secret", "token", "key.pem", "private"].contains { key.lowercased().contains($0) }
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingBlanks: Substring {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}
