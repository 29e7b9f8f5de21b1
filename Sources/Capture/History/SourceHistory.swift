import Shared

/// Which history of the source a pipeline follows, as the state topic remembers it (key `{"source":"history"}`):
/// the server's identity from `IDENTIFY_SYSTEM`, the slot that holds its position, and the generation its records
/// carry (docs/design.md, invariant 1). LSNs only compare within one history.
public struct SourceHistory: Sendable, Hashable {
    /// `IDENTIFY_SYSTEM`'s `systemid`: differs on a cluster built by `initdb` (or a logical copy) rather than
    /// restored or replicated from the original.
    public var systemIdentifier: String
    /// `IDENTIFY_SYSTEM`'s `timeline`: grows on a promotion (failover) and on a point-in-time restore.
    public var timeline: Int64
    public var slot: String
    public var generation: Int64
    /// The format of the records in the table topics (`record_format`; absent, from captures before there was a
    /// choice: Ferry's).
    public var recordFormat: CaptureOptions.RecordFormat

    public init(
        systemIdentifier: String, timeline: Int64, slot: String, generation: Int64,
        recordFormat: CaptureOptions.RecordFormat = .ferry
    ) {
        self.systemIdentifier = systemIdentifier
        self.timeline = timeline
        self.slot = slot
        self.generation = generation
        self.recordFormat = recordFormat
    }

    static let key: JSONValue = ["source": .string("history")]

    var value: JSONValue {
        [
            "system_identifier": .string(systemIdentifier), "timeline": .integer(timeline), "slot": .string(slot),
            "generation": .integer(generation), "record_format": .string(recordFormat.rawValue),
        ]
    }

    init?(_ object: JSONObject) {
        guard case .string(let system)? = object["system_identifier"], case .number(let timeline)? = object["timeline"],
            let timelineNumber = Int64(timeline), case .string(let slot)? = object["slot"],
            case .number(let generation)? = object["generation"], let generationNumber = Int64(generation)
        else { return nil }
        var format = CaptureOptions.RecordFormat.ferry
        if case .string(let name)? = object["record_format"] {
            guard let known = CaptureOptions.RecordFormat(rawValue: name) else { return nil }
            format = known
        }
        self.init(
            systemIdentifier: system, timeline: timelineNumber, slot: slot, generation: generationNumber,
            recordFormat: format)
    }
}

/// The server capture is connected to, from `IDENTIFY_SYSTEM` on a replication connection.
public struct SystemIdentity: Sendable, Hashable {
    public var systemIdentifier: String
    public var timeline: Int64

    public init(systemIdentifier: String, timeline: Int64) {
        self.systemIdentifier = systemIdentifier
        self.timeline = timeline
    }
}

extension PostgresConnection {
    /// `IDENTIFY_SYSTEM` (replication connections only).
    public func identifySystem() async throws -> SystemIdentity {
        let result = try await query("IDENTIFY_SYSTEM")
        guard let system = result.value("systemid"), let timeline = result.value("timeline").flatMap({ Int64($0) }) else {
            throw ReplicationSlotError(description: "IDENTIFY_SYSTEM returned no system identifier or timeline")
        }
        return SystemIdentity(systemIdentifier: system, timeline: timeline)
    }
}
