/// The `source` block of a Debezium PostgreSQL record as Ferry's `SourceInfo`, with the version rule of
/// docs/design.md, "Debezium records": `(last commit LSN, LSN)` from `source.sequence`
/// (`["<last commit LSN>","<LSN>"]`, decimal strings), and `(last commit LSN, -1)` for a snapshot row.
///
/// `commitLSN` holds the last commit LSN (null before the connector's first commit: 0) and `seq` the change's own
/// LSN (-1 for a snapshot row); `versionScheme` is `.debezium`, so the item version lays them out as Debezium's.
enum DebeziumSourcePosition {
    /// The values of `source.snapshot` (a string since Debezium 1.x; a boolean in older examples).
    private static let snapshotValues: Set<String> = [
        "true", "first", "last", "first_in_data_collection", "last_in_data_collection", "incremental", "false",
    ]

    static func sourceInfo(_ source: FieldReader, op: Operation) throws(ChangeRecordDecodingError) -> SourceInfo {
        // Every snapshot row — initial, blocking or incremental — is an `r`; `snapshot` says which, and only that.
        try checkSnapshot(source)
        let isSnapshotRow = op == .read
        let (lastCommit, sequenceLSN) = try sequence(source)
        let ownLSN = try source.optionalInt64("lsn").map { UInt64(bitPattern: $0) } ?? sequenceLSN
        let seq: Int64
        if isSnapshotRow {
            seq = -1
        } else {
            // A streamed change without its LSN cannot be ordered against its neighbours.
            guard let lsn = sequenceLSN ?? ownLSN else { throw source.failure(at: "sequence", .missingField) }
            guard let signed = Int64(exactly: lsn) else { throw source.failure(at: "sequence", .notAnInt64(String(lsn))) }
            seq = signed
        }
        return SourceInfo(
            connector: try source.string("connector"), version: try source.string("version"),
            name: try source.string("name"), db: try source.string("db"), schema: try source.string("schema"),
            table: try source.string("table"), snapshot: isSnapshotRow, txId: try source.optionalInt64("txId"),
            lsn: LSN(rawValue: ownLSN ?? 0), commitLSN: LSN(rawValue: lastCommit ?? 0), seq: seq,
            tsMs: try source.int64("ts_ms"), versionScheme: .debezium)
    }

    /// `source.snapshot` is one of the values Debezium writes (or absent).
    private static func checkSnapshot(_ source: FieldReader) throws(ChangeRecordDecodingError) {
        switch source.object["snapshot"] {
        case nil, .null?, .bool?: return
        case .string(let text)? where snapshotValues.contains(text): return
        case let value?:
            throw source.failure(
                at: "snapshot",
                .wrongType(expected: "one of \(snapshotValues.sorted().joined(separator: ", "))", found: value.kindDescription))
        }
    }

    /// `source.sequence`, a JSON array of two decimal strings (or nulls) inside a string. Debezium writes it on
    /// every change event; where it is absent (the documentation's shortened examples) the last commit LSN is
    /// taken as 0 and the LSN from `source.lsn` (see the version rule: streamed changes of a row still order).
    private static func sequence(_ source: FieldReader) throws(ChangeRecordDecodingError) -> (UInt64?, UInt64?) {
        guard let text = try source.optionalString("sequence") else { return (nil, nil) }
        let invalid = source.failure(
            at: "sequence", .invalidValue("expected a JSON array of two LSN strings such as [\"24023119\",\"24023128\"], found \(text)"))
        guard case .array(let parts)? = try? JSONParser.parse(text), parts.count == 2 else { throw invalid }
        func lsn(_ part: JSONValue) throws(ChangeRecordDecodingError) -> UInt64? {
            switch part {
            case .null: return nil
            case .string(let digits): guard let value = UInt64(digits) else { throw invalid }; return value
            default: throw invalid
            }
        }
        return (try lsn(parts[0]), try lsn(parts[1]))
    }
}
