import Logging
import NIOCore
import NIOHTTP1

/// Answers `/health`, `/metrics` and `/status` on one HTTP/1.1 connection.
///
/// `HTTPServerPipelineHandler` (installed by `configureHTTPServerPipeline`) holds pipelined requests back until the
/// current response has ended, so this handler deals with one request at a time, even while `/status` is being
/// computed off the event loop.
final class OperationsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let endpoints: OperationsEndpoints
    private let logger: Logger
    /// The request being read; it is answered at its `.end`, after any body has been read and dropped.
    private var request: HTTPRequestHead?

    init(endpoints: OperationsEndpoints, logger: Logger) {
        self.endpoints = endpoints
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            request = head
        case .body:
            break  // no route takes a body
        case .end:
            guard let head = request else { return }
            request = nil
            answer(head, context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Malformed requests already got a 400 from HTTPServerProtocolErrorHandler; what is left is resets and such.
        logger.debug("operations connection failed", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    private func answer(_ request: HTTPRequestHead, context: ChannelHandlerContext) {
        switch OperationsRoute(method: request.method, uri: request.uri) {
        case .health:
            write(.health(endpoints.health()), to: request, context: context)
        case .metrics:
            write(.metrics(endpoints.registry), to: request, context: context)
        case .status:
            // The status closure is async and may wait on the service's actors: run it in a task, never on the
            // event loop, and come back to the loop to write.
            let status = endpoints.status
            context.eventLoop.makeFutureWithTask { await OperationsResponse.json(status()) }
                .assumeIsolated()
                .whenSuccess { self.write($0, to: request, context: context) }
        case .notFound:
            write(.notFound, to: request, context: context)
        case .methodNotAllowed:
            write(.methodNotAllowed, to: request, context: context)
        }
    }

    private func write(_ response: OperationsResponse, to request: HTTPRequestHead, context: ChannelHandlerContext) {
        logger.debug(
            "operations request",
            metadata: [
                "http.method": "\(request.method)",
                "http.path": "\(request.uri)",
                "http.status": "\(response.status.code)",
            ])
        let keepAlive = request.isKeepAlive
        var headers = response.headers
        headers.add(name: "Content-Length", value: String(response.body.count))
        // Announce a close; HTTP/1.1 keeps connections open by default, but HTTP/1.0 needs to hear `keep-alive`.
        if !keepAlive {
            headers.add(name: "Connection", value: "close")
        } else if request.version == .http1_0 {
            headers.add(name: "Connection", value: "keep-alive")
        }
        let head = HTTPResponseHead(version: request.version, status: response.status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        // A response to HEAD announces its length but carries no body.
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: response.body)))), promise: nil)
        }
        let ended = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            ended.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}
