import Shared

/// The format for people: one block per record — what happened to which row, when, where in the log — followed
/// by the columns that matter (`old → new` for updates). Messages that are not change records get a `!` line
/// saying why, then their raw key and value.
public struct PrettyFormat: Sendable {
    public var style: TerminalStyle

    public init(style: TerminalStyle) {
        self.style = style
    }

    /// The block for `entry`, ending with a blank line.
    public func format(_ entry: TailEntry) -> String {
        let lines: [String]
        switch entry.content {
        case .change(let record): lines = change(record, at: entry.message)
        case .tombstone: lines = raw(entry, warning: "tombstone (null value: a deleted row's marker for compaction)")
        case .unreadable(let reason): lines = raw(entry, warning: reason)
        case .logicalMessage:
            lines = raw(entry, warning: "logical decoding message (op m): no row change, apply skips it")
        case .control(let marker):
            lines = raw(
                entry,
                warning: "control record: the snapshot of \(marker.schema).\(marker.table) in generation "
                    + "\(marker.generation) is complete (apply then removes the table's items of older generations)")
        }
        return lines.joined(separator: "\n") + "\n\n"
    }

    private func change(_ record: ChangeRecord, at message: TailMessage) -> [String] {
        let source = record.source
        var header = style.paint(record.op.word, .bold, colour(of: record.op)) + " \(source.schema).\(source.table)"
        if let key = record.key { header += " " + Self.json(.object(key)) }
        // A Debezium record's version is (last commit LSN, LSN) (docs/design.md, "Debezium records").
        let version =
            source.versionScheme == .debezium
            ? "  last_commit_lsn \(source.commitLSN)" : "  commit_lsn \(source.commitLSN) seq \(source.seq)"
        let location =
            "  committed \(ISOTimestamp.format(milliseconds: source.tsMs))  lsn \(source.lsn)" + version
            + (source.generation == 0 ? "" : "  generation \(source.generation)") + "  \(message.position)"
        var lines = [header, style.paint(location, .dim)]
        let (columns, beforeMissing) = ColumnChanges.lines(for: record)
        if beforeMissing { lines.append(style.paint("  (no before image: the new row)", .dim)) }
        if record.op == .update, !beforeMissing, columns.isEmpty {
            lines.append(style.paint("  (no column changed)", .dim))
        }
        let width = columns.map(\.column.count).max() ?? 0
        for line in columns {
            let name = line.column + String(repeating: " ", count: width - line.column.count)
            lines.append("  \(name)  \(render(line.change))")
        }
        return lines
    }

    private func render(_ change: ColumnChanges.Change) -> String {
        switch change {
        case .value(let value): Self.json(value)
        case .changed(let old, let new): style.paint(Self.json(old), .red) + " → " + style.paint(Self.json(new), .green)
        case .added(let new): "→ " + style.paint(Self.json(new), .green)
        case .removed(let old): style.paint(Self.json(old), .red) + " → (absent)"
        case .unchanged: style.paint("(unchanged)", .dim)
        }
    }

    private func raw(_ entry: TailEntry, warning: String) -> [String] {
        let message = entry.message
        var lines = [style.paint("! \(message.position): \(warning)", .bold, .yellow)]
        if let timestamp = message.timestampMs {
            lines.append(style.paint("  timestamp \(ISOTimestamp.format(milliseconds: timestamp))", .dim))
        }
        lines.append("  key    " + Self.rawText(message.key, parsed: entry.keyJSON))
        if message.value != nil { lines.append("  value  " + Self.rawText(message.value, parsed: entry.valueJSON)) }
        return lines
    }

    private func colour(of op: Operation) -> TerminalStyle.Colour {
        switch op {
        case .create: .green
        case .update: .yellow
        case .delete: .red
        case .read: .cyan
        case .truncate: .magenta
        }
    }

    static func json(_ value: JSONValue) -> String {
        String(decoding: value.jsonBytes, as: UTF8.self)
    }

    /// JSON as compact JSON; other UTF-8 text as a quoted string (control characters escaped, so a terminal is
    /// safe); anything else as base64.
    static func rawText(_ bytes: [UInt8]?, parsed: JSONValue?) -> String {
        guard let bytes else { return "(null)" }
        if let parsed { return json(parsed) }
        if let text = String(validating: bytes, as: UTF8.self) { return json(.string(text)) }
        return "(\(bytes.count) bytes, base64) " + Base64.encode(bytes)
    }
}
