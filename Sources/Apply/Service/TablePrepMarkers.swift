import Foundation
import Shared

/// DROP_AND_CREATE once per consumer group: the markers, in the DynamoDB table `ferry-table-prep` (key: group,
/// target table), that say which member drops and creates a target table and when the others may write to it.
///
/// Every member reaches DynamoDB and a conditional write is atomic, so of members meeting a table together exactly
/// one claims it (`preparing`, with a lease); the others wait until it is `prepared`, and only then write. A
/// prepared table is never dropped again by the group: not by a restart, an added member or a replay. A claim whose
/// holder died (no `prepared` before its lease ran out) is taken over: no member writes to a table before it is
/// prepared, so dropping it once more loses nothing; and marking prepared is conditioned on still holding the
/// claim, so a holder that was only slow cannot mark a table another member is dropping.
struct TablePrepMarkers: Sendable {
    static let table = "ferry-table-prep"
    static let key = [KeyAttribute(name: "group", type: .string), KeyAttribute(name: "table", type: .string)]
    /// Long enough for DeleteTable and CreateTable of a table to finish.
    static let lease: Duration = .seconds(120)

    enum Claim: Equatable {
        /// The group prepared the table already: use it as it is.
        case prepared
        /// This member holds the claim: drop and create the table, then `markPrepared`.
        case claimed
        /// Another member is preparing it: ask again in a moment.
        case heldByAnother
    }

    let client: DynamoDBClient
    let group: String
    /// This process's name in the markers: the same across its runs, so a run that starts over after a lost broker
    /// resumes its own claim instead of waiting out its lease.
    let member: String

    init(client: DynamoDBClient, group: String, member: String = UUID().uuidString) {
        self.client = client
        self.group = group
        self.member = member
    }

    /// Claims `target` for this member unless the group prepared it or another member holds a live claim.
    func claim(_ target: String, nowMs: Int64 = WallClock.nowMs()) async throws -> Claim {
        let key: DynamoDBItem = ["group": .s(group), "table": .s(target)]
        let current = try await client.getItem(GetItemInput(tableName: Self.table, key: key, consistentRead: true))
        var claim = PutItemInput(
            tableName: Self.table,
            item: key.merging([
                "state": .s("preparing"), "holder": .s(member),
                "expires_ms": .n(String(nowMs + Self.lease.components.seconds * 1000)),
            ]) { $1 })
        switch (current?["state"], current?["expires_ms"]) {
        case (.s("prepared")?, _):
            return .prepared
        case (nil, _):
            claim.conditionExpression = "attribute_not_exists(#g)"
            claim.expressionAttributeNames = ["#g": "group"]
        case (_, .n(let expires)?) where Int64(expires).map { $0 < nowMs } ?? true:
            // The holder's lease ran out: take over, unless someone else did first or it was just marked prepared.
            claim.conditionExpression = "#s = :preparing AND #e = :expires"
            claim.expressionAttributeNames = ["#s": "state", "#e": "expires_ms"]
            claim.expressionAttributeValues = [":preparing": .s("preparing"), ":expires": .n(expires)]
        default:
            return current?["holder"] == .s(member) ? .claimed : .heldByAnother
        }
        do {
            try await client.putItem(claim)
            return .claimed
        } catch let error as DynamoDBError where error.isConditionalCheckFailed {
            return .heldByAnother
        }
    }

    /// Marks `target` prepared; false when this member no longer holds the claim (taken over after its lease).
    func markPrepared(_ target: String) async throws -> Bool {
        do {
            try await client.putItem(
                PutItemInput(
                    tableName: Self.table,
                    item: ["group": .s(group), "table": .s(target), "state": .s("prepared"), "holder": .s(member)],
                    conditionExpression: "#h = :me AND #s = :preparing",
                    expressionAttributeNames: ["#h": "holder", "#s": "state"],
                    expressionAttributeValues: [":me": .s(member), ":preparing": .s("preparing")]))
            return true
        } catch let error as DynamoDBError where error.isConditionalCheckFailed {
            return false
        }
    }
}
