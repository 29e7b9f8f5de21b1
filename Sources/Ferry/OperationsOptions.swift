import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import ServiceLifecycle
import Shared

/// `--http` and `--http-address-file`, and the service group a long-running command runs in: the service itself,
/// with the operations endpoint as its companion when `--http` (or `FERRY_HTTP`) asks for one.
struct OperationsOptions: ParsableArguments {
    @Option(help: "Serve /health, /metrics (Prometheus) and /status (JSON) on HOST:PORT (or FERRY_HTTP); port 0 picks a free port.")
    var http: String?

    @Option(help: "Once --http listens, write the address it bound (HOST:PORT, with the port port 0 picked) to this file.")
    var httpAddressFile: String?

    func validate() throws {
        if httpAddressFile != nil, (try? setting(http, flag: "--http", variable: "FERRY_HTTP")) == nil {
            throw ValidationError("--http-address-file needs --http (or FERRY_HTTP)")
        }
    }

    /// Runs `service` until it ends (done or failed), which ends the group; the endpoint only accompanies it.
    func run(
        _ service: any Service, health: @escaping @Sendable () -> HealthState,
        status: @escaping @Sendable () async -> JSONValue, logger: Logger
    ) async throws {
        var services: [any Service] = [service]
        if let address = try? setting(http, flag: "--http", variable: "FERRY_HTTP") {
            let server = try await OperationsServer.bind(
                to: try HTTPAddress(parsing: address), health: health, status: status, logger: logger)
            services.append(server)
            if let httpAddressFile { services.append(AddressFile(address: server.localAddress, path: httpAddressFile)) }
        }
        let group = ServiceGroup(
            configuration: .init(
                services: services.enumerated().map { index, service in
                    .init(service: service, successTerminationBehavior: index == 0 ? .gracefullyShutdownGroup : .ignore,
                          failureTerminationBehavior: .gracefullyShutdownGroup)
                },
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// Writes the address from inside the group, which traps SIGTERM/SIGINT before it starts a service: whoever
    /// reads the file can signal the process and get a graceful shutdown, never the signal's default action.
    private struct AddressFile: Service {
        let address: HTTPAddress
        let path: String

        func run() async throws { try OperationsOptions.write(address, to: path) }
    }

    /// Written whole or not at all (a temporary file renamed into place), so a reader never sees half an address.
    fileprivate static func write(_ address: HTTPAddress, to path: String) throws {
        let temporary = path + ".partial"
        do {
            try Data("\(address)\n".utf8).write(to: URL(fileURLWithPath: temporary))
        } catch {
            throw ValidationError("cannot write --http-address-file \(path): \(error.localizedDescription)")
        }
        guard rename(temporary, path) == 0 else {
            throw ValidationError("cannot write --http-address-file \(path): \(String(cString: strerror(errno)))")
        }
    }
}
