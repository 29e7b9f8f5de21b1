import Capture
import Testing

extension CaptureService {
    /// Returns once capture has exported its snapshot: writes from then on come through the stream.
    func waitForSnapshotExport() async throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while ContinuousClock.now < deadline {
            if !progress.snapshot.isEmpty { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("capture did not export its snapshot within 30 s")
    }
}
