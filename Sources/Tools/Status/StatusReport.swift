import Shared

/// The pipeline's state in the vocabulary of AWS DMS task statistics, gathered from the `/status` documents of a
/// capture and any number of apply processes (one consumer group's members: their per-table counts add up).
public struct StatusReport: Sendable, Equatable {
    public struct Table: Sendable, Equatable {
        public var name: String
        /// Capture's snapshot state: queued, loading, loaded, streaming.
        public var state: String?
        public var fullLoadRows: Int64?
        /// Chunks an incremental snapshot of the table has loaded (0 for an exported snapshot's table).
        public var snapshotChunks: Int64?
        public var inserts: Int64 = 0
        public var updates: Int64 = 0
        public var deletes: Int64 = 0
        /// Records found already applied (replays, redeliveries).
        public var noops: Int64 = 0
        public var deadLettered: Int64 = 0
        /// Records skipped under IGNORE_RECORD (`--on-error ignore`): neither written nor dead-lettered.
        public var ignored: Int64 = 0
    }

    public var services: [ServiceStatus]
    /// JSON numbers as their services wrote them (exact text), nil when no service reported them.
    public var fullLoadProgressPercent: String?
    public var tablesLoaded: Int64?
    public var tablesLoading: Int64?
    public var tablesQueued: Int64?
    public var tablesErrored: Int64?
    public var sourceLatencyMs: Int64?
    /// Since the commit of the newest record any apply process applied; the source latency once apply has
    /// consumed everything.
    public var targetLatencyMs: Int64?
    public var slotLagBytes: Int64?
    public var tables: [Table]
    public struct PartitionLag: Sendable, Equatable {
        /// `topic[partition]`.
        public var partition: String
        /// Messages not yet consumed.
        public var messages: Int64
    }

    /// Over every apply process.
    public var consumerLag: [PartitionLag]

    public init(services: [ServiceStatus]) {
        self.services = services
        var tables: [String: Table] = [:]
        var lag: [String: Int64] = [:]
        let capture = services.first { $0.role == .capture }?.document
        if let capture {
            if case .number(let percent)? = capture["full_load_progress_percent"] { fullLoadProgressPercent = percent }
            tablesLoaded = capture.integer("tables_loaded")
            tablesLoading = capture.integer("tables_loading")
            tablesQueued = capture.integer("tables_queued")
            tablesErrored = capture.integer("tables_errored")
            sourceLatencyMs = capture.integer("source_latency_ms")
            slotLagBytes = capture.integer("slot_lag_bytes")
            if case .array(let loads)? = capture["tables"] {
                for case .object(let load) in loads {
                    guard case .string(let name)? = load["table"] else { continue }
                    var table = tables[name] ?? Table(name: name)
                    if case .string(let state)? = load["state"] { table.state = state }
                    table.fullLoadRows = load.integer("rows")
                    table.snapshotChunks = load.integer("chunks")
                    tables[name] = table
                }
            }
        }
        for apply in services.filter({ $0.role == .apply }).compactMap(\.document) {
            if case .object(let applied)? = apply["tables"] {
                for field in applied.fields {
                    guard case .object(let counts) = field.value else { continue }
                    var table = tables[field.name] ?? Table(name: field.name)
                    table.inserts += counts.integer("inserts") ?? 0
                    table.updates += counts.integer("updates") ?? 0
                    table.deletes += counts.integer("deletes") ?? 0
                    table.noops += counts.integer("noops") ?? 0
                    table.deadLettered += counts.integer("dead_lettered") ?? 0
                    table.ignored += counts.integer("ignored") ?? 0
                    if let latency = counts.integer("target_latency_ms") {
                        targetLatencyMs = min(targetLatencyMs ?? latency, latency)
                    }
                    tables[field.name] = table
                }
            }
            if case .object(let partitions)? = apply["consumer_lag"] {
                for field in partitions.fields {
                    if case .number(let digits) = field.value, let messages = Int64(digits) { lag[field.name] = messages }
                }
            }
        }
        self.tables = tables.values.sorted { $0.name < $1.name }
        consumerLag = lag.sorted { $0.key < $1.key }.map { PartitionLag(partition: $0.key, messages: $0.value) }
        // Caught up (nothing left to consume): the target is exactly as fresh as what capture has read, and the
        // age of the last applied record would only measure how long the source has been quiet.
        if !consumerLag.isEmpty, consumerLag.allSatisfy({ $0.messages == 0 }), let sourceLatencyMs {
            targetLatencyMs = sourceLatencyMs
        }
    }

    /// Every service answered and none reports a problem.
    public var isHealthy: Bool { !services.isEmpty && services.allSatisfy(\.isHealthy) }
}

extension JSONObject {
    /// An integer field's value; nil when absent, null or not an integer.
    func integer(_ name: String) -> Int64? {
        if case .number(let digits)? = self[name] { return Int64(digits) }
        return nil
    }
}
