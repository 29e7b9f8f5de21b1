import AWS
import Foundation
import Logging
import Shared

/// A DynamoDB client over the JSON 1.0 protocol: one pooled HTTP client, credentials from a provider chain,
/// every attempt signed afresh, retryable failures retried with jittered exponential backoff.
///
/// Operations live in `Operations/`, one file each, as extensions. Call `shutdown()` once when done.
public final class DynamoDBClient: Sendable {
    public let configuration: DynamoDBClientConfiguration
    private let transport: any AWSHTTPTransport
    /// The HTTP client this instance created, and so must shut down; nil when the transport was injected.
    private let ownedTransport: AsyncHTTPClientTransport?
    private let credentials: AWSCredentialsCache
    private let requestFactory: DynamoDBRequestFactory
    private let now: @Sendable () -> Date
    /// Holds writes to `configuration.writeCapacity`; nil when it is unlimited.
    let writeCapacity: WriteCapacityLimiter?
    let logger: Logger

    /// A client with its own connection pool. Credentials come from `credentialsProvider`, by default the
    /// standard chain (environment, web identity, shared files, container endpoint, EC2 instance metadata) read from
    /// `environment`; which source supplied them is logged.
    public convenience init(
        configuration: DynamoDBClientConfiguration,
        credentialsProvider: (any AWSCredentialsProvider)? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger
    ) {
        let transport = AsyncHTTPClientTransport(configuration: configuration.http)
        let provider = credentialsProvider
            ?? AWSCredentialsChain.standard(
                environment: environment, transport: transport, region: configuration.region)
        self.init(
            configuration: configuration,
            transport: transport,
            ownedTransport: transport,
            credentials: AWSCredentialsCache(provider: provider, logger: logger),
            logger: logger
        )
    }

    init(
        configuration: DynamoDBClientConfiguration,
        transport: any AWSHTTPTransport,
        ownedTransport: AsyncHTTPClientTransport? = nil,
        credentials: AWSCredentialsCache,
        logger: Logger,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.configuration = configuration
        self.transport = transport
        self.ownedTransport = ownedTransport
        self.credentials = credentials
        self.requestFactory = DynamoDBRequestFactory(endpoint: configuration.endpoint, region: configuration.region)
        self.logger = logger
        self.now = now
        self.writeCapacity = configuration.writeCapacity.isUnlimited
            ? nil : WriteCapacityLimiter(policy: configuration.writeCapacity, logger: logger)
    }

    /// Closes the connection pool. No request may be made afterwards.
    public func shutdown() async throws {
        try await ownedTransport?.shutdown()
    }

    /// Sends one operation, retrying as `configuration.retryPolicy` allows, and returns the response document.
    /// A write passes its `writeCost` (units per table, computed only when writes are limited): each attempt waits
    /// for that capacity first and reports its answer to the limiter. Throws `DynamoDBError` (or
    /// `CancellationError`).
    func invoke(
        _ operation: DynamoDBOperation, table: String?, body: JSONValue,
        writeCost: () -> WriteCapacityCost = { [:] }
    ) async throws -> DynamoDBResponse {
        try await invoke(operation, table: table, payload: body.jsonBytes, writeCost: writeCost)
    }

    /// `invoke` with the request document already serialised. `throttledTables` names the tables a successful
    /// answer still refused some writes of for lack of capacity (BatchWriteItem's UnprocessedItems).
    func invoke(
        _ operation: DynamoDBOperation, table: String?, payload: [UInt8],
        writeCost: () -> WriteCapacityCost = { [:] },
        throttledTables: (DynamoDBResponse) -> Set<String> = { _ in [] }
    ) async throws -> DynamoDBResponse {
        let policy = configuration.retryPolicy
        let cost = writeCapacity == nil ? [:] : writeCost()
        var attempt = 1
        while true {
            let scheduledAt = try await writeCapacity?.acquire(cost) ?? 0
            do {
                let response = try await send(operation, table: table, payload: payload)
                writeCapacity?.record(cost, throttled: throttledTables(response), scheduledAt: scheduledAt)
                return response
            } catch let error as DynamoDBError {
                writeCapacity?.record(cost, throttled: error.isThrottling ? Set(cost.keys) : [], scheduledAt: scheduledAt)
                guard error.isRetryable && policy.allowsRetry(after: attempt) else { throw error }
                let delay = policy.delay(beforeRetry: attempt)
                logger.info("DynamoDB request failed, retrying", metadata: [
                    "dynamodb.operation": "\(operation)",
                    "dynamodb.table": "\(table ?? "-")",
                    "attempt": "\(attempt)",
                    "retry.delay_ms": "\(Int(delay.seconds * 1000))",
                    "error": "\(error)",
                ])
                DynamoDBRetryReason.count(error.retryReason, operation: operation)
                try await policy.sleep(delay)
                attempt += 1
            }
        }
    }

    /// After DynamoDB refused `rejected` as expired: new credentials for the next attempt, or — when their source
    /// gives the same ones and nothing renews them — a credentials error that stops callers instead of an
    /// `ExpiredTokenException` they would wait out for ever.
    private func renewCredentials(
        afterExpiryOf rejected: AWSCredentials, operation: DynamoDBOperation, table: String?
    ) async throws {
        do {
            if case .never(let source) = try await credentials.renew(afterExpiryOf: rejected) {
                throw DynamoDBError(
                    .credentials(.expiredForGood(source: source, service: "DynamoDB")), operation: operation, table: table)
            }
        } catch let error as AWSCredentialsError {
            throw DynamoDBError(.credentials(error), operation: operation, table: table)
        }
    }

    /// One attempt: fresh credentials (from the cache), a signature for this moment, one HTTP exchange.
    private func send(
        _ operation: DynamoDBOperation, table: String?, payload: [UInt8]
    ) async throws -> DynamoDBResponse {
        let signingCredentials: AWSCredentials
        do {
            signingCredentials = try await credentials.credentials()
        } catch let error as AWSCredentialsError {
            throw DynamoDBError(.credentials(error), operation: operation, table: table)
        }
        let request = requestFactory.makeRequest(operation, body: payload, credentials: signingCredentials, at: now())
        let response: AWSHTTPResponse
        do {
            response = try await transport.send(request, timeout: configuration.requestTimeout)
        } catch let error as AWSHTTPTransportError {
            throw DynamoDBError(.transport(error), operation: operation, table: table)
        }
        guard response.isSuccess else {
            let refusal = DynamoDBErrorResponse.decode(
                status: response.status, body: response.body, operation: operation, table: table)
            if refusal.code == .expiredToken {
                try await renewCredentials(afterExpiryOf: signingCredentials, operation: operation, table: table)
            }
            throw refusal
        }
        guard case .object(let object)? = try? JSONParser.parse(response.body) else {
            throw DynamoDBError(
                .malformedResponse(httpStatus: response.status, reason: "the body is not a JSON object"),
                operation: operation, table: table
            )
        }
        return DynamoDBResponse(object: object, operation: operation, table: table, httpStatus: response.status)
    }
}
