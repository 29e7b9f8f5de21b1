/// The schema the stream has described so far: the latest Relation message per relation OID and the latest Type
/// message per type OID. PostgreSQL re-sends a Relation message when a table's definition changes mid-stream
/// (e.g. `ALTER TABLE ... ADD COLUMN`), so the latest one is what the following changes' tuples match.
public struct RelationCache: Sendable {
    private var relations: [UInt32: PgOutputMessage.Relation] = [:]
    private var dataTypes: [UInt32: PgOutputMessage.DataType] = [:]

    public init() {}

    /// Remembers Relation and Type messages; every other message leaves the cache as it is.
    public mutating func update(with message: PgOutputMessage) {
        switch message {
        case .relation(let relation): relations[relation.oid] = relation
        case .type(let dataType): dataTypes[dataType.oid] = dataType
        default: break
        }
    }

    /// The relation a change message refers to.
    public func relation(oid: UInt32) throws(UnknownRelationError) -> PgOutputMessage.Relation {
        guard let relation = relations[oid] else { throw UnknownRelationError(relationOID: oid) }
        return relation
    }

    /// The non-built-in type described for `oid`; nil for built-in types, which pgoutput never describes.
    public func dataType(oid: UInt32) -> PgOutputMessage.DataType? {
        dataTypes[oid]
    }
}

/// A change referenced a relation no Relation message described — the stream is out of step with its schema.
public struct UnknownRelationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var relationOID: UInt32

    public var description: String {
        "change references relation OID \(relationOID), but no Relation message has described it"
    }
}
