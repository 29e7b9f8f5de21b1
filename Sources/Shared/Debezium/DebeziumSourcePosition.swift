/// The `source` block of a Debezium PostgreSQL record as Ferry's `SourceInfo`, with the version rule of
/// docs/design.md, "Debezium records": `(last commit LSN, LSN)` from `source.sequence`
/// (`["<last commit LSN>","<LSN>"]`, decimal strings), and `(last commit LSN, -1)` for a snapshot row.
///
/// `commitLSN` holds the last commit LSN (null before the connector's first commit: 0) and `seq` the change's own
/// LSN (-1 for a snapshot row); `versionScheme` is `.debezium`, so the item version lays them out as Debezium's.
enum DebeziumSourcePosition {
    static func sourceInfo(_ source: FieldReader, op: Operation) throws(ChangeRecordDecodingError) -> SourceInfo {
        // Every snapshot row — initial, blocking or incremental — is an `r`; `snapshot` says which, and only that.
        try checkSnapshot(source)
        let isSnapshotRow = op == .read
        let (lastCommit, sequenceLSN) = try sequence(source)
        let ownLSN = try source.optionalInt64(DebeziumEnvelope.SourceField.lsn.rawValue).map { UInt64(bitPattern: $0) } ?? sequenceLSN
        let seq: Int64
        if isSnapshotRow {
            seq = -1
        } else {
            // A streamed change without its LSN cannot be ordered against its neighbours.
            guard let lsn = sequenceLSN ?? ownLSN else { throw source.failure(at: DebeziumEnvelope.SourceField.sequence.rawValue, .missingField) }
            guard let signed = Int64(exactly: lsn) else { throw source.failure(at: DebeziumEnvelope.SourceField.sequence.rawValue, .notAnInt64(String(lsn))) }
            seq = signed
        }
        return SourceInfo(
            connector: try source.string(DebeziumEnvelope.SourceField.connector.rawValue), version: try source.string(DebeziumEnvelope.SourceField.version.rawValue),
            name: try source.string(DebeziumEnvelope.SourceField.name.rawValue), db: try source.string(DebeziumEnvelope.SourceField.db.rawValue), schema: try source.string(DebeziumEnvelope.SourceField.schema.rawValue),
            table: try source.string(DebeziumEnvelope.SourceField.table.rawValue), snapshot: isSnapshotRow, txId: try source.optionalInt64(DebeziumEnvelope.SourceField.txId.rawValue),
            lsn: LSN(rawValue: ownLSN ?? 0), commitLSN: LSN(rawValue: lastCommit ?? 0), seq: seq,
            tsMs: try source.int64(DebeziumEnvelope.SourceField.tsMs.rawValue), versionScheme: .debezium)
    }

    /// `source.snapshot` is one of the values Debezium writes (or absent).
    private static func checkSnapshot(_ source: FieldReader) throws(ChangeRecordDecodingError) {
        switch source.object[DebeziumEnvelope.SourceField.snapshot.rawValue] {
        case nil, .null?, .bool?: return
        case .string(let text)? where DebeziumEnvelope.SnapshotMarker(rawValue: text) != nil: return
        case let value?:
            throw source.failure(
                at: DebeziumEnvelope.SourceField.snapshot.rawValue,
                .wrongType(expected: "one of \(DebeziumEnvelope.SnapshotMarker.allCases.map(\.rawValue).sorted().joined(separator: ", "))", found: value.kindDescription))
        }
    }

    /// `source.sequence`, a JSON array of two decimal strings (or nulls) inside a string. Debezium writes it on
    /// every change event; where it is absent (the documentation's shortened examples) the last commit LSN is
    /// taken as 0 and the LSN from `source.lsn` (see the version rule: streamed changes of a row still order).
    private static func sequence(_ source: FieldReader) throws(ChangeRecordDecodingError) -> (UInt64?, UInt64?) {
        guard let text = try source.optionalString(DebeziumEnvelope.SourceField.sequence.rawValue) else { return (nil, nil) }
        let invalid = source.failure(
            at: DebeziumEnvelope.SourceField.sequence.rawValue, .invalidValue("expected a JSON array of two LSN strings such as [\"24023119\",\"24023128\"], found \(text)"))
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
