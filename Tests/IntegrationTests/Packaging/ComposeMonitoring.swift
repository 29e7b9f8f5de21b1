import Foundation

/// The compose file's `prometheus` and `grafana` services and the files they are provisioned with, checked
/// without Docker: every bind-mounted file exists, Prometheus scrapes each ferry service on the port its
/// FERRY_HTTP binds and loads the alert rules, and Grafana gets that Prometheus and the Ferry dashboard.
struct ComposeMonitoring {
    /// Each compose service as PyYAML read it.
    var services: [String: [String: Any]]
    /// compose/prometheus.yml (whatever is mounted at /etc/prometheus/prometheus.yml), as read.
    var prometheusConfig: [String: Any]
    /// Grafana's provisioning files (datasources/*.yml, dashboards/*.yml), as read, by path.
    var provisioningFiles: [String: [String: Any]] = [:]

    static let composeDirectory = repositoryRoot.appendingPathComponent("compose")

    static func load(composeFile: String) async throws -> ComposeMonitoring {
        let compose = try JSONSerialization.jsonObject(with: try await ComposeFerryServices.yamlAsJSON(composeFile))
        let services = (compose as? [String: Any])?["services"] as? [String: [String: Any]] ?? [:]
        var monitoring = ComposeMonitoring(services: services, prometheusConfig: [:])
        if let config = monitoring.hostPath(of: "/etc/prometheus/prometheus.yml", in: "prometheus") {
            let json = try await ComposeFerryServices.yamlAsJSON(config.path)
            monitoring.prometheusConfig = try JSONSerialization.jsonObject(with: json) as? [String: Any] ?? [:]
        }
        if let provisioning = monitoring.hostPath(of: "/etc/grafana/provisioning", in: "grafana") {
            for kind in ["datasources", "dashboards"] {
                for file in yamlFiles(in: provisioning.appendingPathComponent(kind)) {
                    let json = try await ComposeFerryServices.yamlAsJSON(file.path)
                    monitoring.provisioningFiles[file.path] = try JSONSerialization.jsonObject(with: json) as? [String: Any] ?? [:]
                }
            }
        }
        return monitoring
    }

    /// The bind mounts (`host:container[:mode]` with a path on the host) of a service.
    func bindMounts(of service: String) -> [(host: URL, container: String)] {
        (services[service]?["volumes"] as? [String] ?? []).compactMap { volume in
            let parts = volume.split(separator: ":").map(String.init)
            guard parts.count >= 2, parts[0].hasPrefix(".") || parts[0].hasPrefix("/") else { return nil }
            return (URL(fileURLWithPath: parts[0], relativeTo: Self.composeDirectory).standardizedFileURL, parts[1])
        }
    }

    /// Where on the host a path inside the service's container comes from, if a bind mount provides it.
    func hostPath(of containerPath: String, in service: String) -> URL? {
        let mounts = bindMounts(of: service).sorted { $0.container.count > $1.container.count }
        for mount in mounts where containerPath == mount.container || containerPath.hasPrefix(mount.container + "/") {
            let rest = containerPath.dropFirst(mount.container.count).drop { $0 == "/" }
            return rest.isEmpty ? mount.host : mount.host.appendingPathComponent(String(rest))
        }
        return nil
    }

    /// The port of a ferry service's FERRY_HTTP (`HOST:PORT`).
    func ferryHTTPPort(of service: String) -> String? {
        let environment = services[service]?["environment"] as? [String: Any]
        return (environment?["FERRY_HTTP"] as? String)?.split(separator: ":").last.map(String.init)
    }

    /// Everything that would break the monitoring services; empty when they are sound.
    func problems() -> [String] {
        var problems: [String] = []
        for service in ["prometheus", "grafana"] {
            if services[service] == nil { problems.append("the compose file has no service \(service)") }
            for mount in bindMounts(of: service) where !FileManager.default.fileExists(atPath: mount.host.path) {
                problems.append("\(service) mounts \(mount.host.path) at \(mount.container), which does not exist")
            }
        }
        problems += scrapeProblems()
        for rules in prometheusConfig["rule_files"] as? [String] ?? []
        where !FileManager.default.fileExists(atPath: hostPath(of: rules, in: "prometheus")?.path ?? "") {
            problems.append("prometheus loads rules \(rules), which no mount provides")
        }
        if !(prometheusConfig["rule_files"] as? [String] ?? []).contains(where: {
            hostPath(of: $0, in: "prometheus")?.path == OpsFiles.alertRules.standardizedFileURL.path
        }) {
            problems.append("prometheus does not load ops/prometheus/ferry-alerts.yml")
        }
        return problems + grafanaProblems()
    }

    /// The jobs the alert rules name (`up{job="ferry-capture"}`), each scraping the service that runs that command.
    private func scrapeProblems() -> [String] {
        let jobs = prometheusConfig["scrape_configs"] as? [[String: Any]] ?? []
        return ["capture", "apply", "validate"].flatMap { command -> [String] in
            guard let job = jobs.first(where: { $0["job_name"] as? String == "ferry-\(command)" }) else {
                return ["prometheus has no scrape job ferry-\(command)"]
            }
            let targets = (job["static_configs"] as? [[String: Any]] ?? []).flatMap { $0["targets"] as? [String] ?? [] }
            guard !targets.isEmpty else { return ["scrape job ferry-\(command) has no targets"] }
            return targets.compactMap { target in
                let parts = target.split(separator: ":").map(String.init)
                let runs = (services[parts[0]]?["command"] as? [String])?.first
                guard parts.count == 2, runs == command, let port = ferryHTTPPort(of: parts[0]) else {
                    return "scrape job ferry-\(command) targets \(target), not a compose service running ferry \(command)"
                }
                return parts[1] == port ? nil : "scrape job ferry-\(command) targets \(target), but \(parts[0]) serves /metrics on \(port)"
            }
        }
    }

    /// Grafana's provisioning: a datasource at the prometheus service, and a dashboards provider reading ferry.json.
    private func grafanaProblems() -> [String] {
        guard let provisioning = hostPath(of: "/etc/grafana/provisioning", in: "grafana") else {
            return ["grafana has no provisioning directory mounted at /etc/grafana/provisioning"]
        }
        var problems: [String] = []
        let datasources = provisioned(in: provisioning.appendingPathComponent("datasources")).flatMap {
            $0["datasources"] as? [[String: Any]] ?? []
        }
        if !datasources.contains(where: { $0["type"] as? String == "prometheus" && $0["url"] as? String == "http://prometheus:9090" }) {
            problems.append("grafana has no provisioned prometheus datasource at http://prometheus:9090: \(datasources)")
        }
        let paths = provisioned(in: provisioning.appendingPathComponent("dashboards")).flatMap {
            ($0["providers"] as? [[String: Any]] ?? []).compactMap { ($0["options"] as? [String: Any])?["path"] as? String }
        }
        let dashboardFound = paths.contains { path in
            hostPath(of: path + "/" + OpsFiles.dashboard.lastPathComponent, in: "grafana")?.path == OpsFiles.dashboard.standardizedFileURL.path
        }
        if !dashboardFound { problems.append("no grafana dashboard provider reads ops/grafana/ferry.json (paths \(paths))") }
        return problems
    }

    /// The YAML files of a provisioning directory.
    private static func yamlFiles(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// The provisioning files `load` read from a directory.
    private func provisioned(in directory: URL) -> [[String: Any]] {
        Self.yamlFiles(in: directory).compactMap { provisioningFiles[$0.path] }
    }
}
