import Foundation
import Tools

/// `ferry validate`'s progress on a terminal: one line on standard error, rewritten in place at most ten times a
/// second, and wiped before the report is printed. Off when standard error is not a terminal, so logs and pipes
/// get no control characters.
final class ProgressLine {
    private let isEnabled: Bool
    private var lastShown: ContinuousClock.Instant?
    private var isShowing = false

    init(isEnabled: Bool) {
        self.isEnabled = isEnabled
    }

    func show(_ progress: ValidationProgress) {
        guard isEnabled else { return }
        let now = ContinuousClock.now
        let isLast = progress.compared == progress.total
        if let lastShown, now - lastShown < .milliseconds(100), !isLast { return }
        lastShown = now
        isShowing = true
        // \r back to the start, \e[K erases what a longer previous line left.
        FileHandle.standardError.write(Data("\r\(progress.line)\u{1B}[K".utf8))
    }

    func clear() {
        guard isShowing else { return }
        isShowing = false
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
