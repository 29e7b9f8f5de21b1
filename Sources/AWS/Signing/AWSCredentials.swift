/// Long-term or temporary AWS credentials used to sign requests.
///
/// Every textual rendering (`description`, `debugDescription`, `dump`, string
/// interpolation) redacts the secret key and the session token: credentials
/// travel through configuration and error paths that end up in logs.
public struct AWSCredentials: Sendable, Equatable {
    public let accessKeyId: String
    public let secretAccessKey: String
    /// Present for temporary (STS) credentials; sent as `X-Amz-Security-Token`.
    public let sessionToken: String?

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

extension AWSCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private static let redacted = "<redacted>"

    public var description: String {
        // The access key id is an identifier, not a secret, and helps tell credentials apart in logs.
        "AWSCredentials(accessKeyId: \(accessKeyId), secretAccessKey: \(Self.redacted), "
            + "sessionToken: \(sessionToken == nil ? "nil" : Self.redacted))"
    }

    public var debugDescription: String { description }

    // Without this, `dump(_:)` and other Mirror-based printers would walk the stored properties.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "accessKeyId": accessKeyId,
                "secretAccessKey": Self.redacted,
                "sessionToken": sessionToken == nil ? "nil" : Self.redacted,
            ],
            displayStyle: .struct
        )
    }
}
