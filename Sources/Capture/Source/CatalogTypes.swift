import Shared

/// The `pg_type` rows a set of columns refers to, directly or through domains and array elements, and the
/// resolution of a column's type OID to the `PostgresColumnType` records name it by.
struct CatalogTypes: Sendable {
    struct Entry: Sendable, Hashable {
        var name: String
        /// `typtype` 'd'.
        var isDomain: Bool
        /// `typcategory` 'A': a true array (not a fixed-length type with an element type such as `point`).
        var isArray: Bool
        /// `typcategory` 'E'.
        var isEnum: Bool = false
        /// `typbasetype` for a domain, otherwise 0.
        var baseType: UInt32
        /// `typelem`.
        var elementType: UInt32
    }

    var entries: [UInt32: Entry]

    /// Domains resolve to their base type (through any number of domains), arrays to their element type with
    /// `isArray` set (a domain over an array, and an array of a domain, both end at the element's base type).
    /// Enums, composites and ranges keep their own name. Nil for an OID missing from `entries`.
    func columnType(of oid: UInt32) -> PostgresColumnType? {
        baseEntry(of: oid).map { PostgresColumnType(name: $0.entry.name, isArray: $0.isArray) }
    }

    /// The type is an enum (or a domain over one, or an array of one).
    func isEnum(_ oid: UInt32) -> Bool {
        baseEntry(of: oid)?.entry.isEnum ?? false
    }

    private func baseEntry(of oid: UInt32) -> (entry: Entry, isArray: Bool)? {
        var current = oid
        var isArray = false
        // Domains cannot form cycles; the bound only guards against a malformed catalog.
        for _ in 0..<32 {
            guard let entry = entries[current] else { return nil }
            if entry.isDomain {
                current = entry.baseType
            } else if entry.isArray, !isArray {
                isArray = true
                current = entry.elementType
            } else {
                return (entry, isArray)
            }
        }
        return nil
    }
}
