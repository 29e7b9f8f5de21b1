import Crypto
import Foundation

extension SigV4Signer {
    /// The query of a presigned request (SigV4 query-string authentication), ready to follow `?`: `parameters`,
    /// then the `X-Amz-*` authentication parameters in the order the AWS SDKs write them, then `X-Amz-Signature`,
    /// names and values percent-encoded. Only `host` (`host[:port]`) is signed, with the hash of an empty payload, as
    /// botocore's `SigV4QueryAuth` does: Amazon MSK IAM tokens and RDS IAM database tokens are such requests. The
    /// URL alone is then the proof of identity until it expires (`expiresInSeconds`: AWS allows 1 to 604 800).
    public func presignedQuery(
        method: String = "GET", host: String, path: String = "/", parameters: [(name: String, value: String)],
        expiresInSeconds: Int, at date: Date
    ) -> String {
        let timestamp = SigV4Timestamp(date)
        var authentication = [
            (name: "X-Amz-Algorithm", value: Self.algorithm),
            (name: "X-Amz-Credential", value: "\(credentials.accessKeyId)/\(credentialScope(timestamp))"),
            (name: "X-Amz-Date", value: timestamp.amzDate),
            (name: "X-Amz-Expires", value: String(expiresInSeconds)),
            (name: "X-Amz-SignedHeaders", value: "host"),
        ]
        if let sessionToken = credentials.sessionToken {
            authentication.append((name: "X-Amz-Security-Token", value: sessionToken))
        }
        let query = (parameters + authentication)
            .map { "\(AWSPercentEncoding.encode($0.name))=\(AWSPercentEncoding.encode($0.value))" }
            .joined(separator: "&")
        let canonicalRequest = CanonicalRequest(
            method: method, path: path, query: query, headers: [(name: "host", value: host)],
            payloadHash: SHA256.hash(data: [UInt8]()).hexEncodedString)
        return query + "&X-Amz-Signature=" + signature(of: canonicalRequest, at: timestamp).signature
    }
}
