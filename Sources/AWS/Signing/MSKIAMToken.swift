import Foundation

/// An Amazon MSK IAM authentication token, the SASL/OAUTHBEARER token of IAM access control: a presigned
/// `GET https://kafka.<region>.amazonaws.com/?Action=kafka-cluster:Connect` (service `kafka-cluster`, valid 900 s)
/// with a `User-Agent` parameter after the signature, base64url-encoded without padding — byte for byte what AWS's
/// signer libraries (aws-msk-iam-sasl-signer-python) make.
public struct MSKIAMToken: Sendable, Equatable {
    public static let lifetimeSeconds = 900

    /// The token: the signed URL, base64url without `=` padding.
    public let value: String
    /// The signing time (whole seconds) plus the lifetime, in milliseconds since the epoch.
    public let expiresAtMs: Int64

    public init(credentials: AWSCredentials, region: String, userAgent: String, at date: Date) {
        // The signer libraries use this host in every partition; the broker checks the signature over it.
        let host = "kafka.\(region).amazonaws.com"
        let query = SigV4Signer(credentials: credentials, region: region, service: "kafka-cluster").presignedQuery(
            host: host, parameters: [(name: "Action", value: "kafka-cluster:Connect")],
            expiresInSeconds: Self.lifetimeSeconds, at: date)
        let url = "https://\(host)/?\(query)&User-Agent=\(AWSPercentEncoding.encode(userAgent))"
        value = Data(url.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        expiresAtMs = (Int64(date.timeIntervalSince1970.rounded(.down)) + Int64(Self.lifetimeSeconds)) * 1000
    }
}
