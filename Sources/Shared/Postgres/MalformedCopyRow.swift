/// A row of `COPY ... TO STDOUT` output (text or binary format) that does not have the format's structure.
public struct MalformedCopyRow: Error, CustomStringConvertible, Sendable {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { "malformed COPY row: \(reason)" }
}
