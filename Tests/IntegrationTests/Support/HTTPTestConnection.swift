import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

/// The smallest HTTP/1.1 client that shows exactly what the server sends, over one NIO connection.
struct HTTPTestConnection {
    struct Response {
        var status: HTTPResponseStatus
        var headers: HTTPHeaders
        var body: String
    }

    private var responses: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
    private let requests: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>

    static func withConnection(port: Int, _ body: (inout HTTPTestConnection) async throws -> Void) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var connection = HTTPTestConnection(responses: inbound.makeAsyncIterator(), requests: outbound)
            try await body(&connection)
        }
    }

    /// One request on a fresh connection.
    static func send(_ method: HTTPMethod, _ path: String, port: Int) async throws -> Response {
        var result: Response?
        try await withConnection(port: port) { result = try await $0.send(method, path) }
        return try #require(result)
    }

    private init(
        responses: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator,
        requests: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>
    ) {
        self.responses = responses
        self.requests = requests
    }

    /// The response, or nil when the server closed the connection instead.
    mutating func send(
        _ method: HTTPMethod, _ path: String, version: HTTPVersion = .http1_1, headers: HTTPHeaders = [:]
    ) async throws -> Response? {
        try await write(method, path, version: version, headers: headers)
        return try await readResponse()
    }

    func write(
        _ method: HTTPMethod, _ path: String, version: HTTPVersion = .http1_1, headers: HTTPHeaders = [:]
    ) async throws {
        var headers = headers
        headers.add(name: "Host", value: "localhost")
        // In one write: a server may answer (and close) as soon as it has read the head of a request without a
        // body, and a separate write of the end would then meet a closed channel.
        try await requests.write(contentsOf: [
            .head(HTTPRequestHead(version: version, method: method, uri: path, headers: headers)), .end(nil),
        ])
    }

    mutating func readResponse() async throws -> Response? {
        guard case .head(let head)? = try await responses.next() else { return nil }
        var body = ByteBuffer()
        while let part = try await responses.next() {
            switch part {
            case .head: Issue.record("a second response head before the end of the first")
            case .body(var chunk): body.writeBuffer(&chunk)
            case .end: return Response(status: head.status, headers: head.headers, body: String(buffer: body))
            }
        }
        return nil
    }

    /// Whether the server closed the connection (rather than sending anything more).
    mutating func serverClosed() async throws -> Bool {
        try await responses.next() == nil
    }
}
