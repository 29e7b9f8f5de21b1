import Crypto
import Foundation

/// Signs a request with AWS Signature Version 4 in its query string (a presigned URL): the signature and the
/// parameters that describe it (`X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`,
/// `X-Amz-SignedHeaders`, `X-Amz-Security-Token` for temporary credentials) travel as parameters, so the URL
/// alone is the proof of identity until it expires. Pure: the caller passes the time.
public struct SigV4Presigner: Sendable {
    public let signer: SigV4Signer

    public init(credentials: AWSCredentials, region: String, service: String) {
        signer = SigV4Signer(credentials: credentials, region: region, service: service)
    }

    /// The query string of the presigned request, without the leading `?`: the operation's `parameters` in the
    /// order given, then the authentication parameters, then `X-Amz-Signature` — the layout botocore produces.
    /// Only `Host` (`hostHeader`, e.g. `db.example.com:5432`) is signed; the payload is empty.
    /// - Parameter expiresIn: seconds the URL stays valid after `date` (AWS allows 1 to 604 800).
    public func presignedQuery(
        method: String, hostHeader: String, path: String = "/", parameters: [(name: String, value: String)],
        expiresIn: Int, at date: Date
    ) -> String {
        let timestamp = SigV4Timestamp(date)
        var authentication = [
            (name: "X-Amz-Algorithm", value: SigV4Signer.algorithm),
            (name: "X-Amz-Credential", value: "\(signer.credentials.accessKeyId)/\(signer.credentialScope(timestamp))"),
            (name: "X-Amz-Date", value: timestamp.amzDate),
            (name: "X-Amz-Expires", value: String(expiresIn)),
            (name: "X-Amz-SignedHeaders", value: "host"),
        ]
        if let sessionToken = signer.credentials.sessionToken {
            authentication.append((name: "X-Amz-Security-Token", value: sessionToken))
        }
        let query = (parameters + authentication)
            .map { "\(AWSPercentEncoding.encode($0.name))=\(AWSPercentEncoding.encode($0.value))" }
            .joined(separator: "&")
        let canonicalRequest = CanonicalRequest(
            method: method, path: path, query: query, headers: [(name: "Host", value: hostHeader)],
            payloadHash: SHA256.hash(data: [UInt8]()).hexEncodedString)
        return query + "&X-Amz-Signature=" + signer.signature(of: canonicalRequest, at: timestamp).signature
    }
}
