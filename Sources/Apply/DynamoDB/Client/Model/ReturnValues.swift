/// Which item attributes a write returns (`ReturnValues`).
public enum ReturnValues: String, Sendable, Hashable {
    case none = "NONE"
    case allOld = "ALL_OLD"
    case updatedOld = "UPDATED_OLD"
    case allNew = "ALL_NEW"
    case updatedNew = "UPDATED_NEW"
}

/// Whether a write whose condition fails returns the stored item in the error (`ReturnValuesOnConditionCheckFailure`),
/// saving a read to find out why.
public enum ReturnValuesOnConditionCheckFailure: String, Sendable, Hashable {
    case none = "NONE"
    case allOld = "ALL_OLD"
}
