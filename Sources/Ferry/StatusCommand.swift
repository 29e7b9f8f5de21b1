import ArgumentParser
import Foundation
import Shared
import Tools

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "One screen of the pipeline's state, in AWS DMS terms, from the services' /status endpoints.",
        discussion: """
            Asks `ferry capture` (--capture) and every `ferry apply` of the group (--apply, repeatable) for their \
            /status and shows FullLoadProgressPercent, TablesLoaded/Loading/Queued/Errored, CDCLatencySource, \
            CDCLatencyTarget, per-table full-load rows, inserts, updates, deletes, no-ops and dead-lettered records, \
            consumer lag per partition and replication slot lag. Exits 1 when a service is unreachable or reports \
            a problem.
            """
    )

    @Option(help: ArgumentHelp("ferry capture's --http address (or FERRY_CAPTURE_HTTP).", valueName: "host:port"))
    var capture: String?

    @Option(help: ArgumentHelp("A ferry apply's --http address; repeatable (or FERRY_APPLY_HTTP, comma-separated).", valueName: "host:port"))
    var apply: [String] = []

    @Flag(help: "Print one JSON document instead of the screen.")
    var json = false

    @Option(help: ArgumentHelp("Redraw every this many seconds until interrupted.", valueName: "seconds"))
    var watch: Double?

    func run() async throws {
        var endpoints: [(role: ServiceStatus.Role, url: String)] = []
        if let capture = capture ?? ProcessInfo.processInfo.environment["FERRY_CAPTURE_HTTP"] {
            endpoints.append((.capture, capture))
        }
        let applies = apply.isEmpty
            ? (ProcessInfo.processInfo.environment["FERRY_APPLY_HTTP"] ?? "").split(separator: ",").map(String.init)
            : apply
        endpoints += applies.map { (.apply, $0) }
        guard !endpoints.isEmpty else {
            throw ValidationError("give --capture and/or --apply (the services' --http addresses)")
        }
        if let watch {
            guard watch > 0 else { throw ValidationError("--watch must be a positive number of seconds") }
            while !Task.isCancelled {
                let report = StatusReport(services: await StatusFetcher.fetch(endpoints))
                // Home and clear, then the screen: a redraw without scrolling.
                FileHandle.standardOutput.write(Data(("\u{1B}[H\u{1B}[2J" + render(report)).utf8))
                try await Task.sleep(for: .milliseconds(Int64(watch * 1000)))
            }
            return
        }
        let report = StatusReport(services: await StatusFetcher.fetch(endpoints))
        print(render(report), terminator: "")
        if !report.isHealthy { throw ExitCode(1) }
    }

    private func render(_ report: StatusReport) -> String {
        json ? String(decoding: report.json.jsonBytes, as: UTF8.self) + "\n" : report.screen(nowMs: WallClock.nowMs())
    }
}
