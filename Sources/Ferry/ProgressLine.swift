import Foundation
import Synchronization
import Tools

/// `ferry validate`'s progress on a terminal: one line on standard error, rewritten in place at most ten times a
/// second, and wiped before the report is printed. Off when standard error is not a terminal, so logs and pipes
/// get no control characters.
/// Tables compared in parallel report to it from several tasks: one line at a time, the latest wins.
final class ProgressLine: Sendable {
    private let isEnabled: Bool
    private let state = Mutex((lastShown: ContinuousClock.Instant?.none, isShowing: false))

    init(isEnabled: Bool) {
        self.isEnabled = isEnabled
    }

    func show(_ progress: ValidationProgress) {
        guard isEnabled else { return }
        let now = ContinuousClock.now
        let isLast = progress.compared == progress.total
        state.withLock { state in
            if let lastShown = state.lastShown, now - lastShown < .milliseconds(100), !isLast { return }
            state = (now, true)
            // \r back to the start, \e[K erases what a longer previous line left.
            FileHandle.standardError.write(Data("\r\(progress.line)\u{1B}[K".utf8))
        }
    }

    func clear() {
        state.withLock { state in
            guard state.isShowing else { return }
            state.isShowing = false
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        }
    }
}
