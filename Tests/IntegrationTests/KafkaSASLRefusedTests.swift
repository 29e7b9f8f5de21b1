import Foundation
import Shared
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A broker that refuses the clients' SASL authentication stops capture, apply and the tools with one message naming
/// the broker, the mechanism and the fix, never the password. librdkafka reports the refusal only to its error
/// callback and reconnects for ever; before, the calls timed out and capture and apply retried them endlessly.
///
/// The local broker (tansu, started without `--authentication`) answers every SASL handshake with
/// UNSUPPORTED_SASL_MECHANISM: a mechanism the listener does not offer. A wrong password needs a broker that checks
/// one; librdkafka reports both the same way (`_AUTHENTICATION` to the error callback), which is the path tested.
@Suite("SASL authentication refused by the broker stops capture, apply, tail and replay")
struct KafkaSASLRefusedTests {
    static let password = "hunter2-\(TestStack.uniqueName("pw"))"
    static let settings = [
        "security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "PLAIN", "sasl.username": "ferry",
        "sasl.password": password,
    ]
    static var arguments: [String] { settings.sorted { $0.key < $1.key }.flatMap { ["-X", "\($0.key)=\($0.value)"] } }

    /// The message the run ends with (the CLI's one `Error:` line) names the broker, the mechanism and the fix; no
    /// password anywhere in the output.
    static func expectOneStopMessage(
        _ text: String, brokers: String? = nil, mechanism: String = "PLAIN", sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let brokers = try brokers ?? TestStack.brokers
        let stops = text.split(separator: "\n").filter { $0.hasPrefix("Error: ") }
        #expect(stops.count == 1, "one stop message: \(text.suffix(3000))", sourceLocation: sourceLocation)
        let stop = stops.first ?? ""
        #expect(stop.contains("authenticating to Kafka with SASL \(mechanism)"), "\(stop)", sourceLocation: sourceLocation)
        #expect(stop.contains("sasl_plaintext://\(brokers)/"), "the broker: \(stop)", sourceLocation: sourceLocation)
        #expect(stop.contains("Check the credentials (-X sasl.username and sasl.password"), sourceLocation: sourceLocation)
        #expect(!text.contains(password), "the password leaked", sourceLocation: sourceLocation)
    }

    /// Runs `ferry capture` of a one-row table to its end against `brokers` (the stack's by default) with `sasl`.
    static func runCapture(
        _ name: String, sasl: [String: String] = settings, brokers: String? = nil
    ) async throws -> (run: FerryRun, prefix: String) {
        try await TestStack.withDatabase(name) { url in
            let db = try await PostgresConnection.connect(url)
            try await db.query("CREATE TABLE items (id int PRIMARY KEY, name text); INSERT INTO items VALUES (1, 'a');")
            let prefix = TestStack.uniqueName(name)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(prefix)
            let run = try await runToExit(
                ["capture", "--source", url, "--brokers", try brokers ?? TestStack.brokers, "--prefix", prefix,
                 "--tables", "public.items"] + sasl.sorted { $0.key < $1.key }.flatMap { ["-X", "\($0.key)=\($0.value)"] },
                in: directory)
            return (run, prefix)
        }
    }

    @Test func captureStopsAndWritesNothing() async throws {
        let (run, prefix) = try await Self.runCapture("saslcap")
        #expect(run.status == 1)
        #expect(run.errors.components(separatedBy: "capture stopped:").count == 2, "\(run.errors.suffix(3000))")
        try Self.expectOneStopMessage(run.errors + run.output)
        let consumer = try KafkaConsumer(configuration: try TestStack.kafkaConfiguration(), logger: TestStack.logger)
        let topics = try await consumer.topics().map(\.name).filter { $0.hasPrefix(prefix) }
        #expect(topics.isEmpty, "nothing reached Kafka: \(topics)")
    }

    /// Credentials a broker checks and refuses (an unknown user; a wrong password is answered the same way) — on a
    /// private broker that requires SASL.
    @Test func anUnknownUserStopsCapture() async throws {
        let broker = try await PrivateBroker.start(
            in: FileManager.default.temporaryDirectory.appendingPathComponent(TestStack.uniqueName("tansu")),
            requiringAuthentication: true)
        defer { broker.process.signal(SIGTERM) }
        var settings = Self.settings
        settings["sasl.mechanism"] = "SCRAM-SHA-512"
        let (run, _) = try await Self.runCapture("saslusr", sasl: settings, brokers: broker.address)
        #expect(run.status == 1)
        #expect(run.errors.contains("unknown-user"), "\(run.errors.suffix(3000))")
        try Self.expectOneStopMessage(run.errors + run.output, brokers: broker.address, mechanism: "SCRAM-SHA-512")
    }

    /// Nothing is written or committed; a run with the right settings then applies every record.
    @Test func applyStopsAndARunWithTheRightCredentialsResumes() async throws {
        let run = try await ApplyRun("sasl_refused")
        defer { Task { await run.topic.dropTable() } }
        try Self.expectOneStopMessage(try await run.stopsWritingNothingThenResumes(kafka: Self.settings))
    }

    @Test(arguments: ["tail", "replay"])
    func toolsStop(tool: String) async throws {
        let prefix = TestStack.uniqueName("sasl\(tool)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(prefix)
        let command = tool == "tail"
            ? ["tail", "\(prefix).public.items", "--limit", "1"]
            : ["replay", "--prefix", prefix, "--group", TestStack.uniqueName("g"), "--from-beginning"]
        let run = try await runToExit(command + ["--brokers", try TestStack.brokers] + Self.arguments, in: directory)
        #expect(run.status == 1)
        try Self.expectOneStopMessage(run.errors + run.output)
    }
}
