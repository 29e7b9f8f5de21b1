import Foundation
import Testing

/// compose/docker-compose.yml runs `ferry capture` and `ferry apply`; Docker does not run on the development
/// machines, so this keeps the file honest instead: every subcommand, flag, enum value and FERRY_* variable it
/// uses must exist in the `ferry` this run built (its `--experimental-dump-help`). Needs no stack.
@Suite("Packaging: compose file")
struct ComposeFileTests {
    static let composeFile = repositoryRoot.appendingPathComponent("compose/docker-compose.yml").path

    @Test func everyFerryFlagAndVariableInTheComposeFileExists() async throws {
        let ferry = try await FerryCommandLine.load(ferry: try ferryExecutable())
        let compose = try await ComposeFerryServices.load(composeFile: Self.composeFile)
        #expect(Set(compose.services.map { $0.command.first ?? "" }) == ["capture", "apply"])
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
