import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus
import ServiceLifecycle

/// The HTTP endpoint that operators, scrapers and orchestrators talk to: `GET /health`, `GET /metrics`
/// (Prometheus text) and `GET /status` (the service's JSON document).
///
/// `bind` at start-up, so that a taken port fails before any work begins, then run the server in the service group.
/// On graceful shutdown or cancellation it closes the listener; open connections finish their current response
/// and close.
public struct OperationsServer: Service {
    /// The address actually bound; with port 0 it carries the port the system picked.
    public let localAddress: HTTPAddress
    private let listener: any Channel
    private let logger: Logger

    /// Starts listening on `address`.
    /// - Parameters:
    ///   - health: Called on an event loop for every `/health` request: keep it quick and non-blocking.
    ///   - status: Called in a task for every `/status` request.
    ///   - registry: What `/metrics` renders; by default the one swift-metrics reports to.
    public static func bind(
        to address: HTTPAddress,
        health: @escaping @Sendable () -> HealthState,
        status: @escaping @Sendable () async -> JSONValue,
        registry: PrometheusCollectorRegistry = MetricsBootstrap.registry,
        logger: Logger
    ) async throws(OperationsServerError) -> OperationsServer {
        let endpoints = OperationsEndpoints(health: health, status: status, registry: registry)
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            // Lets a restarted service bind again while the old connections sit in TIME_WAIT.
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { listener in
                listener.eventLoop.makeCompletedFuture {
                    try listener.pipeline.syncOperations.addHandler(ConnectionQuiescingHandler())
                }
            }
            .childChannelInitializer { connection in
                connection.eventLoop.makeCompletedFuture {
                    var connectionLogger = logger
                    let peer = connection.remoteAddress.map { "\($0)" } ?? "unknown"
                    connectionLogger[metadataKey: "http.peer"] = "\(peer)"
                    try connection.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try connection.pipeline.syncOperations.addHandler(
                        OperationsHTTPHandler(endpoints: endpoints, logger: connectionLogger))
                }
            }

        let listener: any Channel
        do {
            listener = try await bootstrap.bind(host: address.host, port: address.port).get()
        } catch {
            throw .cannotListen(on: address, underlying: error)
        }
        let bound = listener.localAddress
        let localAddress = HTTPAddress(host: bound?.ipAddress ?? address.host, port: bound?.port ?? address.port)
        var serverLogger = logger
        serverLogger[metadataKey: "http.address"] = "\(localAddress)"
        return OperationsServer(localAddress: localAddress, listener: listener, logger: serverLogger)
    }

    private init(localAddress: HTTPAddress, listener: any Channel, logger: Logger) {
        self.localAddress = localAddress
        self.listener = listener
        self.logger = logger
    }

    public func run() async throws {
        logger.info("operations endpoint listening")
        // Returns on graceful shutdown and throws on cancellation: either way it is time to stop listening.
        try? await gracefulShutdown()
        logger.info("operations endpoint closing")
        try await listener.close()
    }
}
