import Foundation

/// The services of a docker-compose file that run the `ferry` image, and what they pass to it. The YAML is read
/// by PyYAML (`python3 -c 'import yaml'`, installed by scripts/bootstrap.sh) and handed over as JSON, so anchors
/// and merge keys (`<<: *ferry-service`) are resolved exactly as Compose resolves them.
struct ComposeFerryServices {
    struct Service {
        var name: String
        /// The exec-form `command:`: the subcommand, then its arguments.
        var command: [String]
        var environment: [String: String]
        /// The healthcheck's `test:` words.
        var healthcheck: [String]
    }

    let services: [Service]

    static func load(composeFile: String) async throws -> ComposeFerryServices {
        try ComposeFerryServices(composeJSON: try await yamlAsJSON(composeFile))
    }

    /// A YAML file as JSON, through PyYAML (anchors and merge keys resolved).
    static func yamlAsJSON(_ path: String) async throws -> Data {
        let script = "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)"
        return try await runCapturingOutput(["python3", "-c", script, path])
    }

    /// A ferry service is one built from compose/Dockerfile's default target (the table creator has its own).
    init(composeJSON: Data) throws {
        guard let root = try JSONSerialization.jsonObject(with: composeJSON) as? [String: Any],
            let services = root["services"] as? [String: Any]
        else { throw Unreadable(what: "the compose file") }
        self.services = services.sorted { $0.key < $1.key }.compactMap { name, value in
            guard let service = value as? [String: Any], let build = service["build"] as? [String: Any],
                (build["dockerfile"] as? String)?.hasSuffix("Dockerfile") == true, build["target"] == nil
            else { return nil }
            return Service(
                name: name, command: Self.words(service["command"]),
                environment: Self.environment(service["environment"]),
                healthcheck: Self.words((service["healthcheck"] as? [String: Any])?["test"]))
        }
    }

    /// Exec form (a list) as is; shell form split on blanks (enough for flags, which never hold spaces here).
    private static func words(_ value: Any?) -> [String] {
        if let list = value as? [Any] { return list.map { "\($0)" } }
        if let text = value as? String { return text.split(whereSeparator: \.isWhitespace).map(String.init) }
        return []
    }

    /// `environment:` as a map or as a list of `NAME=value`.
    private static func environment(_ value: Any?) -> [String: String] {
        if let map = value as? [String: Any] { return map.mapValues { "\($0)" } }
        var result: [String: String] = [:]
        for entry in value as? [String] ?? [] {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            result[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return result
    }
}
