import Shared
import Testing

@testable import Capture

@Suite("Capture task settings")
struct CaptureTaskSettingsTests {
    static func options() -> CaptureOptions {
        CaptureOptions(
            sourceURL: "postgresql://h/d", kafka: KafkaConfiguration(brokers: "b", [:]), prefix: "p",
            selection: .matching { _, _ in true })
    }

    static let settings = """
        {"FullLoadSettings": {"MaxFullLoadSubTasks": 6, "CommitRate": 500},
         "ErrorBehavior": {"DataErrorPolicy": "IGNORE_RECORD"}, "StreamBufferSettings": {}}
        """

    @Test func maxFullLoadSubTasksSetsTheSnapshotWorkersAndTheRestIsReported() throws {
        var options = Self.options()
        let report = try options.adopt(try TaskSettingsFile.parse(Array(Self.settings.utf8)), flagsGiven: [])
        #expect(options.snapshotWorkers == 6)
        #expect(report.entries.map(\.outcome) == [
            .applied("--snapshot-workers 6"), .otherCommand("apply"), .otherCommand("apply"),
            .ignored("no stream buffers: capture streams into Kafka, apply reads it"),
        ])
    }

    @Test func anExplicitSnapshotWorkersFlagWins() throws {
        var options = Self.options()
        let report = try options.adopt(
            try TaskSettingsFile.parse(Array(Self.settings.utf8)), flagsGiven: ["--snapshot-workers"])
        #expect(options.snapshotWorkers == 2)
        #expect(report.entries.first?.outcome == .overridden(flag: "--snapshot-workers"))
    }
}
