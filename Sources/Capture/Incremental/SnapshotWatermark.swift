import NIOCore

/// The marks an incremental snapshot writes into the WAL around each chunk read (`pg_logical_emit_message`,
/// non-transactional, prefix `ferry.watermark`): `low <chunk>` before the read, `high <chunk>` after it. The stream
/// meets them in WAL order among the transactions; see docs/design.md, "Incremental snapshots". Pure.
struct SnapshotWatermark: Sendable, Equatable {
    static let prefix = "ferry.watermark"

    enum Mark: String, Sendable {
        case low, high
    }

    var mark: Mark
    /// A random id the loading capture registered before writing the low mark: marks of another capture (another
    /// slot on the same database) or of a crashed predecessor name no chunk this capture knows, and are ignored.
    var chunk: UInt64

    var content: String { "\(mark.rawValue) \(String(chunk, radix: 16))" }

    init(_ mark: Mark, chunk: UInt64) {
        self.mark = mark
        self.chunk = chunk
    }

    /// Parses a message's content; nil for anything that is not a mark.
    init?(content: ByteBuffer) {
        let parts = String(buffer: content).split(separator: " ")
        guard parts.count == 2, let mark = Mark(rawValue: String(parts[0])), let chunk = UInt64(parts[1], radix: 16)
        else { return nil }
        self.init(mark, chunk: chunk)
    }
}
