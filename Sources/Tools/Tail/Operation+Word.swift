import Shared

extension Operation {
    /// The word people read: create, update, delete, read, truncate.
    public var word: String {
        switch self {
        case .create: "create"
        case .update: "update"
        case .delete: "delete"
        case .read: "read"
        case .truncate: "truncate"
        }
    }
}
