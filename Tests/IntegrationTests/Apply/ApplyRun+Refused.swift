import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension ApplyRun {
    /// Produces records 1 and 2, runs apply with `kafka` (`-X`) and expects it to stop (exit 1) having written and
    /// committed nothing; then a run without those settings applies both. Returns the stopped run's output.
    func stopsWritingNothingThenResumes(
        kafka: [String: String], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        try await topic.produce((1...2).map { topic.record(.create, id: $0, after: row($0, name: "a"), lsn: UInt64(100 + $0)) })
        let refused = try start(kafka: kafka)
        #expect(try await refused.wait(within: .seconds(90)) == 1, sourceLocation: sourceLocation)
        #expect(try await !topic.waitForCommit(group: group, count: 1, timeout: .seconds(2)), sourceLocation: sourceLocation)
        #expect(((try? await topic.scan()) ?? []).isEmpty, "nothing written", sourceLocation: sourceLocation)

        let allowed = try start()
        #expect(
            try await topic.items { $0.count == 2 }.map(ApplyTestTopic.id(of:)) == [1, 2], "\(allowed.output.suffix(2000))",
            sourceLocation: sourceLocation)
        #expect(try await topic.waitForCommit(group: group, count: 2), sourceLocation: sourceLocation)
        allowed.signal(SIGTERM)
        #expect(try await allowed.wait(within: .seconds(60)) == 0, sourceLocation: sourceLocation)
        return refused.output
    }
}
