/// librdkafka properties, passed through as given (`-X key=value`), so users can set TLS, SASL or tuning.
public struct KafkaConfiguration: Sendable, CustomStringConvertible {
    public private(set) var properties: [String: String]

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

    /// Sets `key` only when the user did not.
    public func withDefault(_ key: String, _ value: String) -> KafkaConfiguration {
        var copy = self
        if copy.properties[key] == nil { copy.properties[key] = value }
        return copy
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
