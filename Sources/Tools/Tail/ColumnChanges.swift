import Shared

/// What a record did to each column, for people: the new row of a create or read, the old row (or key) of a
/// delete, and for an update only what changed — computed by comparing `before` with `after`.
public enum ColumnChanges {
    public enum Change: Sendable, Hashable {
        case value(JSONValue)
        case changed(old: JSONValue, new: JSONValue)
        /// In `after` only: the before image does not have the column (partial replica identity).
        case added(JSONValue)
        /// In `before` only, and not an unchanged TOAST column.
        case removed(JSONValue)
        /// Unchanged TOAST: PostgreSQL did not send the value.
        case unchanged
    }

    public struct Line: Sendable, Hashable {
        public var column: String
        public var change: Change
    }

    /// The lines to show (row column order, unchanged TOAST columns last), and whether an update lacked a before image
    /// (then all new values are shown, since what changed cannot be known).
    public static func lines(for record: ChangeRecord) -> (lines: [Line], beforeMissing: Bool) {
        switch record.op {
        case .create, .read:
            return (values(record.after) + unchanged(record), false)
        case .delete:
            return (values(record.before ?? record.key), false)
        case .truncate:
            return ([], false)
        case .update:
            guard let before = record.before else { return (values(record.after) + unchanged(record), true) }
            return (differences(before: before, after: record.after ?? JSONObject(), record: record), false)
        }
    }

    private static func values(_ row: JSONObject?) -> [Line] {
        (row?.fields ?? []).map { Line(column: $0.name, change: .value($0.value)) }
    }

    private static func unchanged(_ record: ChangeRecord) -> [Line] {
        record.unchanged.map { Line(column: $0, change: .unchanged) }
    }

    private static func differences(before: JSONObject, after: JSONObject, record: ChangeRecord) -> [Line] {
        var lines: [Line] = []
        for field in after.fields {
            switch before[field.name] {
            case nil: lines.append(Line(column: field.name, change: .added(field.value)))
            case let old? where old != field.value:
                lines.append(Line(column: field.name, change: .changed(old: old, new: field.value)))
            default: break
            }
        }
        for field in before.fields where after[field.name] == nil && !record.unchanged.contains(field.name) {
            lines.append(Line(column: field.name, change: .removed(field.value)))
        }
        return lines + unchanged(record)
    }
}
