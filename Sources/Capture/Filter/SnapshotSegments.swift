import Shared

/// A table-settings `parallel-load` of `type: ranges`, typed against the table's columns: the `WHERE` condition
/// of each segment. Segment k holds the rows below boundary k (compared as rows, the first column most
/// significant, as DMS describes) and not below boundary k−1; the last holds every row not below the last
/// boundary — including rows with a NULL in a range column, which no comparison takes (DMS leaves them out;
/// Ferry never drops a row). So every row lies in exactly one segment.
enum SnapshotSegments {
    static func conditions(
        _ ranges: SnapshotRanges, columns: [(name: String, type: PostgresColumnType)]
    ) throws(RowFilterError) -> [String] {
        var names: [String] = []
        var kinds: [FilterColumnKind] = []
        var typeNames: [String] = []
        for name in ranges.columns {
            guard let column = columns.first(where: { $0.name == name }) else {
                throw RowFilterError(rule: ranges.rule, problem: "ranges name column '\(name)', which the table does not have")
            }
            guard let kind = FilterColumnKind(column.type) else {
                throw RowFilterError(
                    rule: ranges.rule,
                    problem: "ranges name column '\(name)' of type \(column.type.recordTypeName); ranges support "
                        + FilterColumnKind.supportedTypes)
            }
            names.append(SQLIdentifier.quote(name) + (kind.isText ? " COLLATE \"C\"" : ""))
            kinds.append(kind)
            typeNames.append(column.type.name)
        }
        var previous: [FilterOperand]?
        var bounds: [String] = []
        for boundary in ranges.boundaries {
            var typed: [FilterOperand] = []
            for (value, kind) in zip(boundary, kinds) {
                guard let operand = kind.operand(literal: value) else {
                    throw RowFilterError(rule: ranges.rule, problem: "boundary value '\(value)' is not a value of its column's type")
                }
                typed.append(operand)
            }
            if let previous, !previous.lexicographicallyPrecedes(typed) {
                throw RowFilterError(
                    rule: ranges.rule, problem: "boundaries must increase: \(boundary) does not lie above the one before it")
            }
            previous = typed
            let literals = zip(boundary, zip(kinds, typeNames)).map { $1.0.sqlLiteral($0, typeName: $1.1) }
            bounds.append("(ROW(\(names.joined(separator: ", "))) < ROW(\(literals.joined(separator: ", "))))")
        }
        return (0...bounds.count).map { segment in
            [segment > 0 ? "\(bounds[segment - 1]) IS NOT TRUE" : nil, segment < bounds.count ? "\(bounds[segment]) IS TRUE" : nil]
                .compactMap { $0 }.joined(separator: " AND ")
        }
    }
}
