import Foundation
import Tools

#if canImport(Glibc)
import Glibc
#endif

/// Writes entries to standard output, one write per batch; in JSON mode, warnings about messages that are not
/// change records go to standard error, so standard output stays pure JSON lines.
struct TailPrinter {
    let format: TailCommand.OutputFormat
    let pretty: PrettyFormat

    init(format: TailCommand.OutputFormat, environment: [String: String]) {
        self.format = format
        pretty = PrettyFormat(style: .forOutput(isTerminal: isatty(STDOUT_FILENO) == 1, noColor: environment["NO_COLOR"]))
    }

    func print(_ entries: [TailEntry]) {
        switch format {
        case .pretty:
            FileHandle.standardOutput.write(Data(entries.map(pretty.format).joined().utf8))
        case .json:
            let warnings = entries.compactMap { entry -> String? in
                guard case .unreadable(let reason) = entry.content else { return nil }
                return "warning: \(entry.message.position): \(reason)\n"
            }
            if !warnings.isEmpty { FileHandle.standardError.write(Data(warnings.joined().utf8)) }
            FileHandle.standardOutput.write(Data(entries.map(JSONLinesFormat.format).joined().utf8))
        }
    }
}
