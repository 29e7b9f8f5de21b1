import NIOCore

/// Sits on the listening channel and keeps track of the open connections, so that closing the listener also winds
/// them down: `HTTPServerPipelineHandler` closes an idle keep-alive connection at once on `ChannelShouldQuiesceEvent`
/// and a busy one right after its current response. Without this, a scraper's keep-alive connection would outlive
/// the server.
final class ConnectionQuiescingHandler: ChannelInboundHandler {
    /// A listening channel reads the connections it accepts.
    typealias InboundIn = any Channel

    private var connections: [ObjectIdentifier: any Channel] = [:]

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let connection = unwrapInboundIn(data)
        let id = ObjectIdentifier(connection)
        connections[id] = connection
        // Connections live on other event loops; hop back to the listener's loop to forget them.
        let listenerLoop = context.eventLoop
        let handler = NIOLoopBound(self, eventLoop: listenerLoop)
        connection.closeFuture.whenComplete { _ in
            listenerLoop.execute { handler.value.connections[id] = nil }
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        for connection in connections.values {
            connection.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
        connections.removeAll()
        context.fireChannelInactive()
    }
}
