/// Why one action of a cancelled TransactWriteItems call failed, in the order of the actions.
/// `code` is `None` for actions that were fine but rolled back with the rest.
public struct TransactionCancellationReason: Sendable, Hashable {
    public var code: String
    public var message: String?
    /// The item as stored, when the action asked for `ReturnValuesOnConditionCheckFailure: ALL_OLD`.
    public var item: DynamoDBItem?

    public init(code: String, message: String? = nil, item: DynamoDBItem? = nil) {
        self.code = code
        self.message = message
        self.item = item
    }

    public var isConditionalCheckFailed: Bool { code == "ConditionalCheckFailed" }
}
