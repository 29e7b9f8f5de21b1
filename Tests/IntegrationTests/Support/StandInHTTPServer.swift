import NIOCore
import NIOHTTP1
import NIOPosix

/// A loopback HTTP server a test stands up in place of an AWS endpoint it cannot reach (the IAM Identity Center
/// portal, the EKS Pod Identity agent): it binds port 0, records each request and answers with what `respond`
/// returns. Lives for the duration of `with`.
final class StandInHTTPServer: Sendable {
    struct Request: Sendable {
        var method: HTTPMethod
        var uri: String
        var headers: HTTPHeaders
    }

    let port: Int
    private let requestLog: RequestLog

    private actor RequestLog {
        var requests: [Request] = []
        func append(_ request: Request) { requests.append(request) }
    }

    var requests: [Request] { get async { await requestLog.requests } }

    private init(port: Int, requestLog: RequestLog) {
        self.port = port
        self.requestLog = requestLog
    }

    static func with<T>(
        respond: @escaping @Sendable (Request) -> (status: HTTPResponseStatus, body: String),
        _ body: (StandInHTTPServer) async throws -> T
    ) async throws -> T {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        let server = StandInHTTPServer(port: try requirePort(listener.channel.localAddress?.port),
                                       requestLog: RequestLog())
        return try await withThrowingDiscardingTaskGroup { group in
            group.addTask {
                do {
                    try await listener.executeThenClose { connections in
                        try await withThrowingDiscardingTaskGroup { connectionGroup in
                            for try await connection in connections {
                                connectionGroup.addTask { try? await server.serve(connection, respond: respond) }
                            }
                        }
                    }
                } catch is CancellationError {
                    // The end of `body` stops the server.
                }
            }
            defer { group.cancelAll() }
            return try await body(server)
        }
    }

    private func serve(
        _ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>,
        respond: @Sendable (Request) -> (status: HTTPResponseStatus, body: String)
    ) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            for try await part in inbound {
                switch part {
                case .head(let requestHead): head = requestHead
                case .body: continue
                case .end:
                    guard let head else { continue }
                    let request = Request(method: head.method, uri: head.uri, headers: head.headers)
                    await requestLog.append(request)
                    let answer = respond(request)
                    let body = ByteBuffer(string: answer.body)
                    // One request per connection: closing it leaves nothing open when the test ends.
                    let headers = HTTPHeaders([("Content-Type", "application/json"),
                                               ("Content-Length", String(body.readableBytes)), ("Connection", "close")])
                    try await outbound.write(contentsOf: [
                        .head(HTTPResponseHead(version: head.version, status: answer.status, headers: headers)),
                        .body(.byteBuffer(body)), .end(nil),
                    ])
                    return
                }
            }
        }
    }
}

private struct MissingPort: Error {}

private func requirePort(_ port: Int?) throws -> Int {
    guard let port else { throw MissingPort() }
    return port
}
