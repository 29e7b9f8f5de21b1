import AWS
import Foundation
import Shared

/// Turns an operation and its JSON body into a signed HTTP request (JSON 1.0 protocol: `POST /`,
/// `Content-Type: application/x-amz-json-1.0`, `X-Amz-Target: DynamoDB_20120810.<Operation>`).
/// Pure: the caller passes credentials and time, and calls it again for every attempt so each is signed afresh.
struct DynamoDBRequestFactory: Sendable {
    static let contentType = "application/x-amz-json-1.0"
    static let userAgent = "ferry/\(FerryVersion.current)"

    let endpoint: AWSEndpoint
    let region: String
    let signingKeys = SigningKeyCache()

    func makeRequest(
        _ operation: DynamoDBOperation, body: [UInt8], credentials: AWSCredentials, at date: Date
    ) -> AWSHTTPRequest {
        let headers = [
            (name: "Host", value: endpoint.hostHeader),
            (name: "Content-Type", value: Self.contentType),
            (name: "X-Amz-Target", value: operation.target),
        ]
        let signer = SigV4Signer(credentials: credentials, region: region, service: "dynamodb", keyCache: signingKeys)
        let signatureHeaders = signer.sign(
            SignableRequest(method: "POST", path: endpoint.path, headers: headers, body: body), at: date
        )
        // The User-Agent is left unsigned: proxies may rewrite it.
        return AWSHTTPRequest(
            method: "POST",
            url: endpoint.url,
            headers: headers + signatureHeaders + [(name: "User-Agent", value: Self.userAgent)],
            body: body
        )
    }
}
