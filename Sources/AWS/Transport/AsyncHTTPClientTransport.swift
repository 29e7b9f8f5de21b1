import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// `AWSHTTPTransport` over one AsyncHTTPClient `HTTPClient`: keep-alive connections pooled per host, so a busy
/// apply reuses warm TLS connections instead of paying a handshake per request.
public final class AsyncHTTPClientTransport: AWSHTTPTransport {
    public struct Configuration: Sendable {
        /// Connections kept open per host; the apply writers' concurrency should not exceed it.
        public var maximumConnectionsPerHost: Int
        public var connectTimeout: Duration
        /// Longest silence while waiting for response bytes.
        public var readTimeout: Duration
        /// How long an unused pooled connection stays open.
        public var idleTimeout: Duration
        /// Largest response body accepted; a Scan page is at most 1 MB of data, larger as JSON.
        public var maximumResponseBytes: Int

        public init(
            maximumConnectionsPerHost: Int = 64,
            connectTimeout: Duration = .seconds(5),
            readTimeout: Duration = .seconds(30),
            idleTimeout: Duration = .seconds(55),
            maximumResponseBytes: Int = 16 << 20
        ) {
            self.maximumConnectionsPerHost = maximumConnectionsPerHost
            self.connectTimeout = connectTimeout
            self.readTimeout = readTimeout
            self.idleTimeout = idleTimeout
            self.maximumResponseBytes = maximumResponseBytes
        }
    }

    private let client: HTTPClient
    private let maximumResponseBytes: Int

    public init(configuration: Configuration = Configuration()) {
        var httpConfiguration = HTTPClient.Configuration(
            timeout: .init(connect: .init(configuration.connectTimeout), read: .init(configuration.readTimeout)),
            connectionPool: .init(
                idleTimeout: .init(configuration.idleTimeout),
                concurrentHTTP1ConnectionsPerHostSoftLimit: configuration.maximumConnectionsPerHost
            )
        )
        // Failed connects surface at once: the client's own retry policy backs off and logs, and off EC2 the
        // instance metadata probe must fail fast.
        httpConfiguration.connectionPool.retryConnectionEstablishment = false
        // DynamoDB and the metadata endpoints speak HTTP/1.1; skipping ALPN negotiation keeps the pool predictable.
        httpConfiguration.httpVersion = .http1Only
        // No tracer: Ferry exports metrics, not traces, and the default no-op tracer still builds a span's
        // attributes for every request (~2% of bulk apply's CPU).
        httpConfiguration.tracing.tracer = nil
        self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: httpConfiguration)
        self.maximumResponseBytes = configuration.maximumResponseBytes
    }

    /// Closes the pooled connections. Call once, after the last request.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    public func send(_ request: AWSHTTPRequest, timeout: Duration) async throws -> AWSHTTPResponse {
        var httpRequest = HTTPClientRequest(url: request.url)
        httpRequest.method = HTTPMethod(rawValue: request.method)
        for header in request.headers {
            httpRequest.headers.add(name: header.name, value: header.value)
        }
        // A PUT or POST announces even an empty body (Content-Length: 0), as the metadata endpoints expect.
        if !request.body.isEmpty || request.method != "GET" {
            httpRequest.body = .bytes(request.body)
        }
        do {
            let response = try await client.execute(httpRequest, timeout: .init(timeout))
            let body = try await response.body.collect(upTo: maximumResponseBytes)
            return AWSHTTPResponse(status: Int(response.status.code), body: Array(buffer: body))
        } catch let error as HTTPClientError where error == .cancelled {
            throw CancellationError()
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw AWSHTTPTransportError(kind: Self.kind(of: error), detail: String(describing: error))
        }
    }

    /// Sorts the HTTP layer's errors by what they mean for a retry.
    static func kind(of error: any Error) -> AWSHTTPTransportError.Kind {
        switch error {
        case let error as HTTPClientError:
            switch error {
            case .readTimeout, .writeTimeout, .deadlineExceeded, .connectTimeout, .tlsHandshakeTimeout,
                .getConnectionFromPoolTimeout, .socksHandshakeTimeout, .httpProxyHandshakeTimeout:
                return .timedOut
            case .remoteConnectionClosed, .uncleanShutdown:
                return .connectionLost
            default:
                // Invalid URL, shut-down client, malformed headers: sending again is futile.
                return .unusable
            }
        case is NIOTooManyBytesError:
            return .unusable
        case is NIOConnectionError:
            return .connectionFailed
        case let error as IOError:
            return error.errnoCode == ECONNREFUSED ? .connectionFailed : .connectionLost
        case is ChannelError:
            return .connectionLost
        default:
            // DNS and TLS failures come from libraries below AsyncHTTPClient; all are about reaching the host.
            return .connectionFailed
        }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
