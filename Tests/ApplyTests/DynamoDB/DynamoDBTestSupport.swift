@testable import AWS
import Foundation
import Logging
import Testing

@testable import Apply

/// An in-memory `AWSHTTPTransport`: records every request and answers from a script, so the client's retry,
/// signing and credential flows are tested without a network.
actor ScriptedTransport: AWSHTTPTransport {
    enum Answer {
        case respond(status: Int, body: String)
        case fail(AWSHTTPTransportError.Kind)
    }

    private var answers: [Answer]
    private let fallback: Answer?
    private(set) var requests: [AWSHTTPRequest] = []

    /// Answers in order; when they run out, `fallback` (or a transport failure).
    init(_ answers: [Answer], fallback: Answer? = nil) {
        self.answers = answers
        self.fallback = fallback
    }

    func send(_ request: AWSHTTPRequest, timeout: Duration) async throws -> AWSHTTPResponse {
        requests.append(request)
        let answer = answers.isEmpty ? fallback ?? .fail(.unusable) : answers.removeFirst()
        switch answer {
        case .respond(let status, let body):
            return AWSHTTPResponse(status: status, body: Array(body.utf8))
        case .fail(let kind):
            throw AWSHTTPTransportError(kind: kind, detail: "scripted failure")
        }
    }
}

/// Credentials that never change.
struct FixedCredentialsProvider: AWSCredentialsProvider {
    var credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")

    func lookUpCredentials() -> AWSCredentialsLookup {
        .found(ExpiringAWSCredentials(credentials))
    }
}

/// Sleeps recorded instead of waited.
final class RecordedSleeps: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Duration] = []

    var delays: [Duration] { lock.withLock { recorded } }

    func record(_ delay: Duration) {
        lock.withLock { recorded.append(delay) }
    }
}

/// A clock that moves one minute forward every time it is read, so consecutive signatures differ.
final class SteppingClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_440_938_160)

    func next() -> Date {
        lock.withLock {
            defer { current.addTimeInterval(60) }
            return current
        }
    }
}

func makeTestClient(
    transport: ScriptedTransport,
    maxAttempts: Int = 4,
    sleeps: RecordedSleeps = RecordedSleeps(),
    clock: SteppingClock = SteppingClock()
) throws -> DynamoDBClient {
    let policy = RetryPolicy(
        maxAttempts: maxAttempts, baseDelay: .milliseconds(100), maxDelay: .seconds(1),
        randomFraction: { 0.5 }, sleep: { sleeps.record($0) }
    )
    let configuration = try DynamoDBClientConfiguration(
        region: "us-east-1", endpoint: AWSEndpoint(url: "http://dynamodb.test:8000"), retryPolicy: policy
    )
    var logger = Logger(label: "ferry.tests.dynamodb")
    logger.logLevel = .critical
    return DynamoDBClient(
        configuration: configuration,
        transport: transport,
        credentials: AWSCredentialsCache(provider: FixedCredentialsProvider()),
        logger: logger,
        now: { clock.next() }
    )
}

/// A DynamoDB error document.
func errorBody(_ code: String, _ message: String = "boom") -> String {
    #"{"__type":"com.amazonaws.dynamodb.v20120810#\#(code)","message":"\#(message)"}"#
}

/// A temporary directory removed after `body`.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}

func write(_ text: String, to url: URL) throws {
    try Data(text.utf8).write(to: url)
}
