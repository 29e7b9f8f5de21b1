import Foundation
import Testing

/// compose/docker-compose.yml runs `ferry capture`, `ferry apply` and `ferry validate --every`; Docker does not run
/// on the development machines, so this keeps the file honest instead: every subcommand, flag, enum value and
/// FERRY_* variable it uses must exist in the `ferry` this run built (its `--experimental-dump-help`). Needs no stack.
@Suite("Packaging: compose file")
struct ComposeFileTests {
    static let composeFile = repositoryRoot.appendingPathComponent("compose/docker-compose.yml").path

    @Test func everyFerryFlagAndVariableInTheComposeFileExists() async throws {
        let ferry = try await FerryCommandLine.load(ferry: try ferryExecutable())
        let compose = try await ComposeFerryServices.load(composeFile: Self.composeFile)
        #expect(Set(compose.services.map { $0.command.first ?? "" }) == ["capture", "apply", "validate"])
        let problems = ComposeUsageCheck.problems(in: compose.services, against: ferry)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// The check has teeth: the same services with an unknown flag, a wrong enum value, a variable no command
    /// reads, or a healthcheck on the wrong port are each reported.
    @Test func theCheckReportsWhatTheBinaryDoesNotHave() async throws {
        let ferry = try await FerryCommandLine.load(ferry: try ferryExecutable())
        let compose = try await ComposeFerryServices.load(composeFile: Self.composeFile)
        let apply = try #require(compose.services.first { $0.command.first == "apply" })

        func problems(_ change: (inout ComposeFerryServices.Service) -> Void) -> [String] {
            var service = apply
            change(&service)
            return ComposeUsageCheck.problems(in: service, against: ferry)
        }
        #expect(problems { $0.command += ["--no-such-flag"] } == ["ferry apply has no option --no-such-flag"])
        #expect(problems { $0.command += ["--write-mode=fast"] } == [#"--write-mode fast: not one of ["conditional", "bulk"]"#])
        #expect(problems { $0.command[0] = "aply" }.first?.hasPrefix("'aply' is not a ferry subcommand") == true)
        #expect(problems { $0.environment["FERRY_SOURCE"] = "postgresql://x" }.first?.hasPrefix(
            "ferry apply does not read FERRY_SOURCE") == true)
        #expect(problems { $0.environment["FERRY_HTTP"] = "0.0.0.0:9090" }.first?.hasPrefix("the healthcheck") == true)
    }

    /// Prometheus and Grafana: their mounted files exist, the scrape targets are the ferry services on the port
    /// their FERRY_HTTP binds, the alert rules are loaded, Grafana gets that Prometheus and the Ferry dashboard.
    @Test func prometheusAndGrafanaAreProvisionedWithTheOpsKit() async throws {
        let monitoring = try await ComposeMonitoring.load(composeFile: Self.composeFile)
        #expect(monitoring.problems().isEmpty, "\(monitoring.problems().joined(separator: "\n"))")
    }

    /// That check has teeth: a target on the wrong port or service, a missing mounted file, a job the rules do not
    /// name, and a missing datasource are each reported.
    @Test func theMonitoringCheckReportsBrokenProvisioning() async throws {
        let monitoring = try await ComposeMonitoring.load(composeFile: Self.composeFile)
        func problems(_ change: (inout ComposeMonitoring) -> Void) -> [String] {
            var changed = monitoring
            change(&changed)
            return changed.problems()
        }
        func scrape(_ target: String, job: String = "ferry-apply") -> (inout ComposeMonitoring) -> Void {
            { $0.prometheusConfig["scrape_configs"] = [
                ["job_name": "ferry-capture", "static_configs": [["targets": ["capture:8080"]]]],
                ["job_name": job, "static_configs": [["targets": [target]]]],
                ["job_name": "ferry-validate", "static_configs": [["targets": ["validate:8080"]]]],
            ] }
        }
        #expect(problems(scrape("apply:8080")) == [])
        #expect(problems(scrape("apply:9090")) == ["scrape job ferry-apply targets apply:9090, but apply serves /metrics on 8080"])
        #expect(problems(scrape("capture:8080")) == [
            "scrape job ferry-apply targets capture:8080, not a compose service running ferry apply"
        ])
        #expect(problems(scrape("apply:8080", job: "apply")) == ["prometheus has no scrape job ferry-apply"])
        #expect(problems { $0.services["grafana"]?["volumes"] = ["./grafana/nowhere:/etc/grafana/provisioning:ro"] }.contains {
            $0.hasPrefix("grafana mounts ") && $0.hasSuffix("compose/grafana/nowhere at /etc/grafana/provisioning, which does not exist")
        })
        #expect(problems { $0.prometheusConfig["rule_files"] = ["/etc/prometheus/rules/other.yml"] } == [
            "prometheus loads rules /etc/prometheus/rules/other.yml, which no mount provides",
            "prometheus does not load ops/prometheus/ferry-alerts.yml",
        ])
        #expect(problems { $0.provisioningFiles = $0.provisioningFiles.filter { !$0.key.contains("/datasources/") } }.first?
            .hasPrefix("grafana has no provisioned prometheus datasource") == true)
    }

    @Test func dumpHelpNamesTheVariablesEachCommandReads() async throws {
        let ferry = try await FerryCommandLine.load(ferry: try ferryExecutable())
        let capture = try #require(ferry.subcommands["capture"])
        let apply = try #require(ferry.subcommands["apply"])
        #expect(
            capture.environmentVariables.isSuperset(of: [
                "FERRY_SOURCE", "FERRY_BROKERS", "FERRY_PREFIX", "FERRY_TABLE_MAPPINGS", "FERRY_HTTP",
            ]))
        #expect(
            apply.environmentVariables.isSuperset(of: [
                "FERRY_BROKERS", "FERRY_PREFIX", "FERRY_GROUP", "FERRY_TABLE_MAPPINGS", "FERRY_HTTP",
            ]))
        #expect(!apply.environmentVariables.contains("FERRY_SOURCE"))
    }
}
