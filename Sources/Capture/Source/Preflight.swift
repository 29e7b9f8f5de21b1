import Shared

/// The checks capture runs before it creates anything: can it log in, does the server allow logical replication
/// for this role, do the selected tables exist with a usable key, will Kafka accept their topics' names. Everything
/// wrong is reported at once, each
/// problem with the exact SQL or setting that fixes it.
public enum Preflight {
    /// The selected tables, described, when capture can start; otherwise the reasons it cannot.
    /// - Parameter slotName: capture's replication slot; when it exists already no free slot is needed.
    /// - Parameter topics: the topics the tables go to, checked against Kafka's rules for topic names.
    /// - Parameter rules: the tables' row filters and snapshot ranges, checked against their columns.
    public static func run(
        source: SourceConnector, selection: TableSelection, slotName: String? = nil, topics: TopicLayout? = nil,
        rules: (@Sendable (QualifiedTableName) -> TableCaptureRules)? = nil
    ) async throws(PreflightError) -> [SourceTable] {
        let connection: PostgresConnection
        do {
            connection = try await source.connect(applicationName: "ferry-preflight")
        } catch {
            throw .cannotConnect(error)
        }
        let tables: [SourceTable]
        let problems: [PreflightProblem]
        do {
            (tables, problems) = try await check(
                connection, selection: selection, slotName: slotName, topics: topics, rules: rules)
        } catch {
            throw .catalogUnreadable(source: source.redacted, underlying: error)
        }
        guard problems.isEmpty else { throw .notReady(source: source.redacted, problems: problems) }
        return tables
    }

    private static func check(
        _ connection: PostgresConnection, selection: TableSelection, slotName: String?, topics: TopicLayout?,
        rules: ((QualifiedTableName) -> TableCaptureRules)?
    ) async throws -> (tables: [SourceTable], problems: [PreflightProblem]) {
        let server = try await ServerReadiness.load(from: connection, slotName: slotName)
        var problems = server.problems

        let (tables, tableProblems) = try await TableCatalog(connection: connection).select(
            selection, database: server.database, role: server.role)
        problems += tableProblems
        if let topics { problems += topicNameProblems(tables.map(\.name), topics: topics) }
        if let rules { problems += tables.flatMap { tableRuleProblems($0, rules: rules($0.name)) } }
        return (tables, problems)
    }

    /// Row filters and snapshot ranges that do not fit the table's columns: a missing column, a type they cannot
    /// compare, a value that is not of the column's type, boundaries that do not increase.
    static func tableRuleProblems(_ table: SourceTable, rules: TableCaptureRules) -> [PreflightProblem] {
        var problems: [PreflightProblem] = []
        do throws(RowFilterError) {
            _ = try TableRowFilter(rules.rowFilters, columns: table.filterColumns)
        } catch {
            problems.append(.tableRuleUnusable(table.name, error.description))
        }
        if let ranges = rules.snapshotRanges {
            do throws(RowFilterError) {
                _ = try SnapshotSegments.conditions(ranges, columns: table.filterColumns)
            } catch {
                problems.append(.tableRuleUnusable(table.name, error.description))
            }
        }
        return problems
    }

    /// A prefix Kafka refuses, a table whose topic name would be longer than Kafka allows, or tables whose topics
    /// differ only in `.` versus `_`, which Kafka refuses to create side by side (its metric names would collide).
    /// Every other name is made legal by `TopicLayout`.
    static func topicNameProblems(_ tables: [QualifiedTableName], topics: TopicLayout) -> [PreflightProblem] {
        if let reason = topics.prefixProblem { return [.prefixUnusable(topics.prefix, reason: reason)] }
        let named = tables.map { table in (table, topics.tableTopic(schema: table.schema, table: table.name)) }
        let tooLong = named.filter { $0.1.utf8.count > TopicLayout.maximumTopicLength }.map { PreflightProblem.topicNameTooLong($0.0, topic: $0.1) }
        // (Ferry's own topics never fold onto a table topic: that would need the segments `ferry` and `state`.)
        let collisions = Dictionary(grouping: named) { $0.1.replacing(".", with: "_") }.values
            .filter { $0.count > 1 }
            .map { group in PreflightProblem.topicsCollide(group.map(\.0).sorted(), topics: group.map(\.1).sorted()) }
        return tooLong + collisions.sorted { $0.description < $1.description }
    }
}
