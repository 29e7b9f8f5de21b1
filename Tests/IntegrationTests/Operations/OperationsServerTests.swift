import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus
import ServiceLifecycle
import Synchronization
import Testing

@testable import Shared

@Suite("Operations HTTP endpoint", .timeLimit(.minutes(1)))
struct OperationsServerTests {
    @Test func healthIsOkWhileHealthy() async throws {
        try await withServer { port in
            let response = try await HTTPTestConnection.send(.GET, "/health", port: port)
            #expect(response.status == .ok)
            #expect(response.headers["Content-Type"] == ["application/json"])
            #expect(response.body == #"{"status":"ok"}"#)
        }
    }

    @Test func healthTurns503WithTheReasonWhenUnhealthy() async throws {
        let health = HealthSwitch()
        try await withServer(health: { health.read() }) { port in
            #expect(try await HTTPTestConnection.send(.GET, "/health", port: port).status == .ok)
            health.set(.unhealthy(reason: #"broker "b1" unreachable"#))
            let unhealthy = try await HTTPTestConnection.send(.GET, "/health", port: port)
            #expect(unhealthy.status == .serviceUnavailable)
            #expect(unhealthy.headers["Content-Type"] == ["application/json"])
            #expect(unhealthy.body == #"{"status":"unhealthy","reason":"broker \"b1\" unreachable"}"#)
            health.set(.healthy)
            #expect(try await HTTPTestConnection.send(.GET, "/health", port: port).status == .ok)
        }
    }

    @Test func metricsRenderTheRegistryAsPrometheusText() async throws {
        let registry = PrometheusCollectorRegistry()
        let counter = registry.makeCounter(
            descriptor: MetricNameDescriptor(metricName: "ferry_records_produced", unitName: "total", helpText: ""),
            labels: [("table", "public.orders")])
        counter.increment(by: Int64(7))
        try await withServer(registry: registry) { port in
            let response = try await HTTPTestConnection.send(.GET, "/metrics", port: port)
            #expect(response.status == .ok)
            #expect(response.headers["Content-Type"] == ["text/plain; version=0.0.4"])
            #expect(
                response.body == """
                    # TYPE ferry_records_produced_total counter
                    ferry_records_produced_total{table="public.orders"} 7

                    """)
        }
    }

    @Test func statusServesTheServiceDocumentComputedAsynchronously() async throws {
        let status: @Sendable () async -> JSONValue = {
            // Suspends, as a status closure reading from actors would: the answer must still arrive.
            try? await Task.sleep(for: .milliseconds(20))
            return ["tables": [["name": "public.orders", "state": "loaded", "progress": .number("100.0")]]]
        }
        try await withServer(status: status) { port in
            let response = try await HTTPTestConnection.send(.GET, "/status", port: port)
            #expect(response.status == .ok)
            #expect(response.headers["Content-Type"] == ["application/json"])
            #expect(response.body == #"{"tables":[{"name":"public.orders","state":"loaded","progress":100.0}]}"#)
        }
    }

    @Test func unknownPathsAre404() async throws {
        try await withServer { port in
            for (method, path) in [(HTTPMethod.GET, "/"), (.GET, "/healthz"), (.POST, "/nowhere")] {
                let response = try await HTTPTestConnection.send(method, path, port: port)
                #expect(response.status == .notFound)
                #expect(response.headers["Content-Type"] == ["application/json"])
                #expect(response.body == #"{"error":"not found"}"#)
            }
        }
    }

    @Test func otherMethodsThanGetAre405() async throws {
        try await withServer { port in
            for method in [HTTPMethod.POST, .PUT, .DELETE] {
                let response = try await HTTPTestConnection.send(method, "/metrics", port: port)
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers["Allow"] == ["GET"])
                #expect(response.body == #"{"error":"method not allowed"}"#)
            }
            let head = try await HTTPTestConnection.send(.HEAD, "/health", port: port)
            #expect(head.status == .methodNotAllowed)
            #expect(head.headers["Content-Length"] == ["\(#"{"error":"method not allowed"}"#.utf8.count)"])
            #expect(head.body.isEmpty)
        }
    }

    @Test func oneConnectionServesManyRequests() async throws {
        try await withServer { port in
            try await HTTPTestConnection.withConnection(port: port) { connection in
                for path in ["/health", "/status", "/metrics", "/missing", "/health"] {
                    let response = try await connection.send(.GET, path)
                    #expect(response?.status == (path == "/missing" ? .notFound : .ok))
                    #expect(response?.headers["Connection"] == [])
                }
            }
        }
    }

    @Test func connectionCloseIsHonoured() async throws {
        try await withServer { port in
            try await HTTPTestConnection.withConnection(port: port) { connection in
                let response = try await connection.send(.GET, "/health", headers: ["Connection": "close"])
                #expect(response?.status == .ok)
                #expect(response?.headers["Connection"] == ["close"])
                #expect(try await connection.serverClosed())
            }
        }
    }

    @Test func http10KeepAliveIsAcknowledged() async throws {
        try await withServer { port in
            try await HTTPTestConnection.withConnection(port: port) { connection in
                let response = try await connection.send(
                    .GET, "/health", version: .http1_0, headers: ["Connection": "keep-alive"])
                #expect(response?.headers["Connection"] == ["keep-alive"])
                #expect(try await connection.send(.GET, "/health", version: .http1_0)?.status == .ok)
                #expect(try await connection.serverClosed())  // HTTP/1.0 without keep-alive closes
            }
        }
    }

    @Test func reportsThePortTheSystemPicked() async throws {
        try await withServer { port in
            let response = try await HTTPTestConnection.send(.GET, "/health", port: port)
            #expect(port > 0)
            #expect(response.status == .ok)
        }
    }

    @Test func aTakenPortFailsAtBind() async throws {
        try await withServer { port in
            let taken = HTTPAddress(host: "127.0.0.1", port: port)
            let error = await #expect(throws: OperationsServerError.self) {
                try await OperationsServer.bind(to: taken, health: { .healthy }, status: { .null }, logger: quietLogger)
            }
            #expect(error?.description.hasPrefix("cannot listen for HTTP on 127.0.0.1:\(port): ") == true)
        }
    }

    @Test func gracefulShutdownFinishesTheResponseInFlightThenStopsAccepting() async throws {
        let (statusCalled, statusCalledContinuation) = AsyncStream<Void>.makeStream()
        let (release, releaseContinuation) = AsyncStream<Void>.makeStream()
        let status: @Sendable () async -> JSONValue = {
            statusCalledContinuation.yield()
            for await _ in release { break }
            return ["state": "stopping"]
        }
        let server = try await OperationsServer.bind(
            to: HTTPAddress(host: "127.0.0.1", port: 0), health: { .healthy }, status: status, logger: quietLogger)
        let port = server.localAddress.port
        let group = ServiceGroup(services: [server], logger: quietLogger)
        let running = Task { try await group.run() }

        try await HTTPTestConnection.withConnection(port: port) { busy in
            try await HTTPTestConnection.withConnection(port: port) { idle in
                #expect(try await idle.send(.GET, "/health")?.status == .ok)
                try await busy.write(.GET, "/status")
                for await _ in statusCalled { break }

                await group.triggerGracefulShutdown()
                try await running.value
                #expect(try await idle.serverClosed())  // idle keep-alive connections close at once

                releaseContinuation.yield()
                let response = try await busy.readResponse()
                #expect(response?.body == #"{"state":"stopping"}"#)
                #expect(try await busy.serverClosed())  // busy ones right after their response
            }
        }
        await #expect(throws: (any Error).self) { try await HTTPTestConnection.send(.GET, "/health", port: port) }
    }

    // MARK: - Helpers

    /// Runs `body` against a server on an ephemeral loopback port, then stops the server through cancellation.
    private func withServer(
        health: @escaping @Sendable () -> HealthState = { .healthy },
        status: @escaping @Sendable () async -> JSONValue = { ["state": "streaming"] },
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        _ body: (_ port: Int) async throws -> Void
    ) async throws {
        let server = try await OperationsServer.bind(
            to: HTTPAddress(host: "127.0.0.1", port: 0), health: health, status: status, registry: registry,
            logger: quietLogger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            defer { group.cancelAll() }
            try await body(server.localAddress.port)
        }
    }
}

private let quietLogger = Logger(label: "ferry.operations.test") { _ in SwiftLogNoOpLogHandler() }

/// A health state the test flips while the server reads it from its event loops.
private final class HealthSwitch: Sendable {
    private let state = Mutex(HealthState.healthy)

    func set(_ newState: HealthState) { state.withLock { $0 = newState } }

    func read() -> HealthState { state.withLock { $0 } }
}
