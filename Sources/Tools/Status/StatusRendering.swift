import Foundation
import Shared

/// `ferry status` output: one screen for people, or one JSON document for scripts. The DMS statistic names
/// (FullLoadProgressPercent, CDCLatencySource, ...) are kept as they are, so DMS users find their numbers.
extension StatusReport {
    public func screen(nowMs: Int64) -> String {
        var lines = ["Ferry status at \(ISOTimestamp.format(milliseconds: nowMs))"]
        for service in services {
            let identity = service.document.map { document in
                ["prefix", "slot", "group"].compactMap { name in
                    if case .string(let value)? = document[name] { "\(name) \(value)" } else { nil }
                }.joined(separator: "  ")
            } ?? ""
            lines.append("\(service.role.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0))  \(service.url)  \(service.condition)  \(identity)")
        }
        lines.append("")
        let statistics: [(String, String?)] = [
            ("FullLoadProgressPercent", fullLoadProgressPercent), ("TablesLoaded", tablesLoaded.map(String.init)),
            ("TablesLoading", tablesLoading.map(String.init)), ("TablesQueued", tablesQueued.map(String.init)),
            ("TablesErrored", tablesErrored.map(String.init)), ("CDCLatencySource", sourceLatencyMs.map(Self.seconds)),
            ("CDCLatencyTarget", targetLatencyMs.map(Self.seconds)), ("SlotLagBytes", slotLagBytes.map(String.init)),
        ]
        for (name, value) in statistics { lines.append("\(name.padding(toLength: 24, withPad: " ", startingAt: 0)) \(value ?? "-")") }
        if !tables.isEmpty {
            lines.append("")
            let header = ["table", "state", "FullLoadRows", "Chunks", "Inserts", "Updates", "Deletes", "Noops", "DeadLettered", "Ignored"]
            let rows = tables.map { table in
                [table.name, table.state ?? "-", table.fullLoadRows.map(String.init) ?? "-",
                 table.snapshotChunks.map(String.init) ?? "-", "\(table.inserts)",
                 "\(table.updates)", "\(table.deletes)", "\(table.noops)", "\(table.deadLettered)",
                 "\(table.ignored)"]
            }
            lines += TextTable.lines([header] + rows)
        }
        if !consumerLag.isEmpty {
            lines.append("")
            lines += TextTable.lines([["consumer lag", "messages"]] + consumerLag.map { [$0.partition, "\($0.messages)"] })
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public var json: JSONValue {
        func number(_ value: Int64?) -> JSONValue { value.map { .integer($0) } ?? .null }
        return [
            "healthy": .bool(isHealthy),
            "services": .array(services.map { service in
                [
                    "role": .string(service.role.rawValue), "url": .string(service.url),
                    "healthy": .bool(service.isHealthy), "condition": .string(service.condition),
                ]
            }),
            "FullLoadProgressPercent": fullLoadProgressPercent.map(JSONValue.number) ?? .null,
            "TablesLoaded": number(tablesLoaded), "TablesLoading": number(tablesLoading),
            "TablesQueued": number(tablesQueued), "TablesErrored": number(tablesErrored),
            "CDCLatencySourceMs": number(sourceLatencyMs), "CDCLatencyTargetMs": number(targetLatencyMs),
            "SlotLagBytes": number(slotLagBytes),
            "tables": .object(JSONObject(tables.map { table in
                (table.name, [
                    "state": table.state.map(JSONValue.string) ?? .null, "FullLoadRows": number(table.fullLoadRows),
                    "SnapshotChunks": number(table.snapshotChunks),
                    "Inserts": .integer(table.inserts), "Updates": .integer(table.updates),
                    "Deletes": .integer(table.deletes), "Noops": .integer(table.noops),
                    "DeadLettered": .integer(table.deadLettered), "Ignored": .integer(table.ignored),
                ])
            })),
            "consumer_lag": .object(JSONObject(consumerLag.map { ($0.partition, .integer($0.messages)) })),
        ]
    }

    static func seconds(_ milliseconds: Int64) -> String {
        let tenths = (milliseconds + 50) / 100
        return "\(tenths / 10).\(tenths % 10) s"
    }
}
