import Shared

/// A table as the catalog lists it, before its columns and keys are loaded.
public struct CatalogTable: Sendable, Hashable {
    public var name: QualifiedTableName
    public var oid: UInt32
    /// A partition of a partitioned table (`relispartition`).
    public var isPartition: Bool
}

/// Reads table descriptions from PostgreSQL's system catalogs (PostgreSQL 12 or later).
public struct TableCatalog: Sendable {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Every ordinary and partitioned table outside the system schemas, ordered by schema and name.
    public func tables() async throws -> [CatalogTable] {
        let result = try await connection.query(
            """
            SELECT c.oid, n.nspname, c.relname, c.relispartition
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
            ORDER BY n.nspname, c.relname
            """)
        return try result.rows.map { row throws(CatalogError) in
            let row = CatalogRow(values: row, source: "table list")
            return CatalogTable(
                name: QualifiedTableName(schema: try row.text(1), name: try row.text(2)),
                oid: try row.number(0), isPartition: row.flag(3))
        }
    }

    /// Columns, keys, replica identity and size of each table, in the order given.
    public func describe(_ tables: [CatalogTable]) async throws -> [SourceTable] {
        guard !tables.isEmpty else { return [] }
        let oids = "{" + tables.map { String($0.oid) }.joined(separator: ",") + "}"
        let relations = try await connection.query(Self.relationsQuery, [oids])
        let columns = try await connection.query(Self.columnsQuery, [oids])
        let types = try await loadTypes(oids)
        let keys = try await connection.query(Self.keysQuery, [oids])

        var relationsByOID: [UInt32: CatalogRow] = [:]
        for values in relations.rows {
            let row = CatalogRow(values: values, source: "pg_class")
            relationsByOID[try row.number(0)] = row
        }
        var columnsByOID: [UInt32: [SourceColumn]] = [:]
        for values in columns.rows {
            let row = CatalogRow(values: values, source: "pg_attribute")
            let typeOID: UInt32 = try row.number(2)
            guard let type = types.columnType(of: typeOID) else {
                throw CatalogError(source: "pg_type", problem: "no entry for type OID \(typeOID)")
            }
            columnsByOID[try row.number(0), default: []].append(
                SourceColumn(
                    name: try row.text(1), type: type, typeModifier: try row.number(3), isNullable: !row.flag(4),
                    isEnum: types.isEnum(typeOID)))
        }
        var primaryKeys: [UInt32: [String]] = [:]
        var identityIndexes: [UInt32: [String]] = [:]
        for values in keys.rows {
            let row = CatalogRow(values: values, source: "pg_index")
            let oid: UInt32 = try row.number(0)
            let column = try row.text(3)
            if row.flag(1) { primaryKeys[oid, default: []].append(column) }
            if row.flag(2) { identityIndexes[oid, default: []].append(column) }
        }

        return try tables.map { table throws(CatalogError) in
            guard let relation = relationsByOID[table.oid] else {
                throw CatalogError(source: "pg_class", problem: "\(table.name) was dropped while being read")
            }
            return SourceTable(
                name: table.name, oid: table.oid, columns: columnsByOID[table.oid] ?? [],
                primaryKey: primaryKeys[table.oid] ?? [],
                replicaIdentity: try Self.replicaIdentity(
                    relation.text(2), indexColumns: identityIndexes[table.oid] ?? [], table: table.name),
                estimatedRowCount: relation.optionalNumber(3), totalBytes: relation.optionalNumber(4) ?? 0,
                isPartitioned: try relation.text(1) == "p")
        }
    }

    /// The types of these relations' columns, by type OID: pgoutput's Relation message carries only OIDs
    /// (and Type messages only for non-built-in types), so the stream names them from the catalog.
    public func columnTypes(ofRelations oids: [UInt32]) async throws -> [UInt32: PostgresColumnType] {
        let types = try await loadTypes("{" + oids.map(String.init).joined(separator: ",") + "}")
        return types.entries.keys.reduce(into: [:]) { resolved, oid in resolved[oid] = types.columnType(of: oid) }
    }

    private func loadTypes(_ oids: String) async throws -> CatalogTypes {
        var entries: [UInt32: CatalogTypes.Entry] = [:]
        for values in try await connection.query(Self.typesQuery, [oids]).rows {
            let row = CatalogRow(values: values, source: "pg_type")
            entries[try row.number(0)] = CatalogTypes.Entry(
                name: try row.text(1), isDomain: try row.text(2) == "d", isArray: try row.text(3) == "A",
                isEnum: try row.text(3) == "E",
                baseType: try row.number(4), elementType: try row.number(5))
        }
        return CatalogTypes(entries: entries)
    }

    private static func replicaIdentity(
        _ code: String, indexColumns: [String], table: QualifiedTableName
    ) throws(CatalogError) -> ReplicaIdentity {
        switch code {
        case "d": return .default
        case "f": return .full
        case "i": return .index(columns: indexColumns)
        case "n": return .nothing
        default: throw CatalogError(source: "pg_class", problem: "unknown relreplident '\(code)' of \(table)")
        }
    }

    /// Per table: kind, replica identity, estimated rows and bytes. A partitioned table holds nothing itself, so
    /// both sums run over the leaves of its partition tree; an ordinary table is its own leaf (`pg_partition_tree`
    /// lists nothing for a table outside any partition tree). A leaf never analysed has `reltuples` -1 and counts
    /// as unknown; no estimate at all gives NULL.
    private static let relationsQuery = """
        SELECT c.oid, c.relkind, c.relreplident, tree.rows, tree.bytes
        FROM pg_class c
        CROSS JOIN LATERAL (
            SELECT (sum(leaf.reltuples) FILTER (WHERE leaf.reltuples >= 0))::int8 AS rows,
                   sum(pg_total_relation_size(leaf.oid))::int8 AS bytes
            FROM (SELECT c.oid AS relid WHERE c.relkind = 'r'
                  UNION SELECT part.relid FROM pg_partition_tree(c.oid) part WHERE part.isleaf) leaves
            JOIN pg_class leaf ON leaf.oid = leaves.relid
        ) tree
        WHERE c.oid = ANY($1::oid[])
        """

    private static let columnsQuery = """
        SELECT a.attrelid, a.attname, a.atttypid, a.atttypmod, a.attnotnull
        FROM pg_attribute a
        WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
        ORDER BY a.attrelid, a.attnum
        """

    /// The column types and every type they lead to through domains (`typbasetype`) and arrays (`typelem`).
    private static let typesQuery = """
        WITH RECURSIVE needed(oid) AS (
            SELECT a.atttypid FROM pg_attribute a
            WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
          UNION
            SELECT next.oid FROM needed JOIN pg_type t ON t.oid = needed.oid
            CROSS JOIN LATERAL (VALUES (t.typbasetype), (t.typelem)) AS next(oid)
            WHERE next.oid <> 0
        )
        SELECT t.oid, t.typname, t.typtype, t.typcategory, t.typbasetype, t.typelem
        FROM pg_type t JOIN needed ON needed.oid = t.oid
        """

    /// Key columns (INCLUDE columns left out) of the primary key and of the replica-identity index, in key order.
    private static let keysQuery = """
        SELECT i.indrelid, i.indisprimary, i.indisreplident, a.attname
        FROM pg_index i
        CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indrelid = ANY($1::oid[]) AND (i.indisprimary OR i.indisreplident) AND k.position <= i.indnkeyatts
        ORDER BY i.indrelid, i.indexrelid, k.position
        """
}
