/// Folds a batch's writes to one per item, by version (docs/design.md, invariant 3: arrival order is version order
/// except for resumed snapshot rows, so the fold is by version, not by arrival). Fewer requests, and the
/// conditional writes then never race each other for the same item.
public enum BatchCoalescer {
    /// One write per item, in the order items first appear.
    public static func coalesce(_ writes: [ItemWrite]) -> [ItemWrite] {
        var positions: [ItemWrite.Identity: Int] = [:]
        positions.reserveCapacity(writes.count)
        var result: [ItemWrite] = []
        result.reserveCapacity(writes.count)
        for write in writes {
            let identity = write.identity
            guard let index = positions[identity] else {
                positions[identity] = result.count
                result.append(write)
                continue
            }
            let current = result[index]
            if current.version < write.version {
                result[index] = current.followed(by: write)
            } else if write.version < current.version, case .update = current.action {
                // A replayed older record arriving after a newer partial update: the update still applies on
                // top of it, as it would have in DynamoDB.
                result[index] = write.followed(by: current)
            }
            // Equal versions are the same record delivered twice; older full writes lose.
        }
        return result
    }
}
