import Crypto
import Foundation

/// Signs requests with AWS Signature Version 4, authorization in headers.
///
/// Paths are canonicalised the way every service except S3 expects (see
/// `CanonicalRequest.canonicalURI`); Ferry signs no S3 requests.
public struct SigV4Signer: Sendable {
    public let credentials: AWSCredentials
    public let region: String
    public let service: String
    /// Whether to send and sign `X-Amz-Content-Sha256`: S3 requires it, other
    /// services accept it. The payload hash is signed either way.
    public let signsContentHashHeader: Bool
    /// Where derived signing keys are kept between requests (they change once a day); nil derives every time.
    let keyCache: SigningKeyCache?

    static let algorithm = "AWS4-HMAC-SHA256"

    /// Lower-cased names of the headers `sign` produces; copies in the request are ignored.
    private static let signerOwnedHeaderNames: Set<String> = [
        "authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256",
    ]

    public init(
        credentials: AWSCredentials,
        region: String,
        service: String,
        signsContentHashHeader: Bool = false
    ) {
        self.init(credentials: credentials, region: region, service: service, signsContentHashHeader: signsContentHashHeader,
                  keyCache: nil)
    }

    package init(
        credentials: AWSCredentials, region: String, service: String, signsContentHashHeader: Bool = false,
        keyCache: SigningKeyCache?
    ) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.signsContentHashHeader = signsContentHashHeader
        self.keyCache = keyCache
    }

    /// The headers to add to `request` so AWS accepts it: `X-Amz-Date`, then
    /// `X-Amz-Content-Sha256` and `X-Amz-Security-Token` when they apply, then
    /// `Authorization`.
    ///
    /// The caller passes the time instead of the signer reading a clock, so
    /// tests are deterministic and every retry is signed afresh: AWS rejects a
    /// signature whose time is more than five minutes from its own.
    public func sign(_ request: SignableRequest, at date: Date) -> [(name: String, value: String)] {
        let steps = signingSteps(for: request, at: date)
        return steps.signerHeaders + [(name: "Authorization", value: steps.authorization)]
    }

    /// Every intermediate product of signing `request`, each of which AWS
    /// publishes test vectors for.
    func signingSteps(for request: SignableRequest, at date: Date) -> SigV4SigningSteps {
        let timestamp = SigV4Timestamp(date)
        let payloadHash = SHA256.hash(data: request.body).hexEncodedString
        let signerHeaders = signerHeaders(timestamp: timestamp, payloadHash: payloadHash)
        let callerHeaders = request.headers.filter {
            !Self.signerOwnedHeaderNames.contains(CanonicalRequest.asciiLowercased($0.name))
        }
        let canonicalRequest = CanonicalRequest(
            method: request.method,
            path: request.path,
            query: request.query,
            headers: callerHeaders + signerHeaders,
            payloadHash: payloadHash
        )
        let credentialScope = credentialScope(timestamp)
        let (stringToSign, signature) = signature(of: canonicalRequest, at: timestamp)
        let authorization = "\(Self.algorithm) Credential=\(credentials.accessKeyId)/\(credentialScope), "
            + "SignedHeaders=\(canonicalRequest.signedHeaders), Signature=\(signature)"
        return SigV4SigningSteps(
            signerHeaders: signerHeaders,
            canonicalRequest: canonicalRequest,
            stringToSign: stringToSign,
            signature: signature,
            authorization: authorization
        )
    }

    /// `date/region/service/aws4_request`, the scope a signature is valid for.
    func credentialScope(_ timestamp: SigV4Timestamp) -> String {
        "\(timestamp.dateStamp)/\(region)/\(service)/aws4_request"
    }

    /// The string to sign for `canonicalRequest` ("task 2") and its signature under the day's derived key
    /// ("task 3"), shared by header signing and presigned URLs.
    func signature(of canonicalRequest: CanonicalRequest, at timestamp: SigV4Timestamp)
        -> (stringToSign: String, signature: String)
    {
        let stringToSign = [
            Self.algorithm,
            timestamp.amzDate,
            credentialScope(timestamp),
            SHA256.hash(data: Array(canonicalRequest.text.utf8)).hexEncodedString,
        ].joined(separator: "\n")
        let signature = HMAC<SHA256>
            .authenticationCode(for: Array(stringToSign.utf8), using: cachedSigningKey(dateStamp: timestamp.dateStamp))
            .hexEncodedString
        return (stringToSign, signature)
    }

    /// The key derived for one day, region and service, so the secret itself
    /// never signs a request: HMAC chain `AWS4`+secret → date → region → service → `aws4_request`.
    func signingKey(dateStamp: String) -> SymmetricKey {
        let secretKey = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        return [dateStamp, region, service, "aws4_request"].reduce(secretKey) { key, scopePart in
            SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(scopePart.utf8), using: key))
        }
    }

    private func cachedSigningKey(dateStamp: String) -> SymmetricKey {
        guard let keyCache else { return signingKey(dateStamp: dateStamp) }
        let scope = SigningKeyCache.Scope(
            secretAccessKey: credentials.secretAccessKey, dateStamp: dateStamp, region: region, service: service)
        return keyCache.key(for: scope) { signingKey(dateStamp: dateStamp) }
    }

    private func signerHeaders(timestamp: SigV4Timestamp, payloadHash: String) -> [(name: String, value: String)] {
        var headers = [(name: "X-Amz-Date", value: timestamp.amzDate)]
        if signsContentHashHeader {
            headers.append((name: "X-Amz-Content-Sha256", value: payloadHash))
        }
        if let sessionToken = credentials.sessionToken {
            headers.append((name: "X-Amz-Security-Token", value: sessionToken))
        }
        return headers
    }
}

/// The products of signing one request, kept apart so each can be checked
/// against AWS's published vectors.
struct SigV4SigningSteps {
    /// `X-Amz-Date` and, when they apply, `X-Amz-Content-Sha256` and `X-Amz-Security-Token`; all are signed.
    let signerHeaders: [(name: String, value: String)]
    let canonicalRequest: CanonicalRequest
    let stringToSign: String
    /// Lower-case hex HMAC-SHA256 of `stringToSign` under the derived signing key.
    let signature: String
    /// The `Authorization` header value.
    let authorization: String
}
